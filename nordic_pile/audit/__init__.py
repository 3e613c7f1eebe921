"""Corpus audits: what a corpus or a run's output contains, in one streaming pass, as HTML and JSON."""
