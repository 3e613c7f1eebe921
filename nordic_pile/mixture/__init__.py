"""Mixtures: slice sizes, epochs per slice (GPT-SW3-style target distributions or weights), sampled shards."""
