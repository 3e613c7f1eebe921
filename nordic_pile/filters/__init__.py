"""Quality filters: Gopher, FineWeb-line, ROOTS and Nordic Pile rules with per-language thresholds, in one pass."""
