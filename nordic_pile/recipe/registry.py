"""Names a recipe can use, each mapped to `module:Class`; imported only when used.

A step name may also be a full import path (`datatrove.pipeline.filters.GopherQualityFilter` or
`package.module:Class`), so datatrove's own steps compose with ours.
"""

from __future__ import annotations

import difflib
import importlib

from nordic_pile.errors import ConfigError

READERS = {
    "auto": "nordic_pile.readers.auto:AutoDocReader",
    "jsonl": "nordic_pile.readers.jsonl:JsonlDocReader",
    "parquet": "nordic_pile.readers.parquet:ParquetDocReader",
    "text": "nordic_pile.readers.text:TextDocReader",
    "html": "nordic_pile.readers.html:HtmlDocReader",
    "warc": "nordic_pile.readers.warc:WarcDocReader",
    "mediawiki": "nordic_pile.readers.mediawiki:MediaWikiDocReader",
}
"""`input.format` of a recipe."""

WRITERS = {
    "jsonl": "nordic_pile.writers.disk:JsonlDocWriter",
    "parquet": "nordic_pile.writers.disk:ParquetDocWriter",
}
"""`output.format` of a recipe."""

STEPS = {
    # normalisation
    "fix_mojibake": "nordic_pile.normalize.mojibake:MojibakeFixer",
    "normalize_unicode": "nordic_pile.normalize.unicode:UnicodeNormalizer",
    "remove_control_chars": "nordic_pile.normalize.control:ControlCharRemover",
    "normalize_whitespace": "nordic_pile.normalize.whitespace:WhitespaceNormalizer",
    "detokenize": "nordic_pile.normalize.detokenize:Detokenizer",
    # quality filters
    "quality_filter": "nordic_pile.filters.quality:QualityFilter",
    "quality_thresholds": "nordic_pile.filters.quality:QualityThresholdFilter",
    "gopher_quality": "nordic_pile.filters.quality:GopherQualityRules",
    "gopher_repetition": "nordic_pile.filters.quality:GopherRepetitionRules",
    "fineweb_lines": "nordic_pile.filters.quality:FineWebLineRules",
    "roots": "nordic_pile.filters.quality:RootsRules",
    "nordic_pile": "nordic_pile.filters.quality:NordicPileRules",
    "c4_line_cleanup": "nordic_pile.filters.c4:C4LineCleanup",
    # personal identifiers
    "pii": "nordic_pile.pii.step:PiiScanner",
    # deduplication (global steps: they split the run into stages)
    "exact_dedup": "nordic_pile.dedup.exact:ExactDedup",
    "line_dedup": "nordic_pile.dedup.lines:LineDedup",
    "minhash_dedup": "nordic_pile.dedup.fuzzy:MinhashDedup",
}
"""`steps:` of a recipe. Later capabilities add their steps here."""


def _suggest(name: str, known) -> str:
    close = difflib.get_close_matches(name, list(known), n=1)
    return f"did you mean {close[0]!r}? " if close else ""


def import_object(path: str):
    """Import `package.module:Name` or `package.module.Name`."""
    module_name, _, attr = path.partition(":") if ":" in path else path.rpartition(".")
    try:
        module = importlib.import_module(module_name)
        return getattr(module, attr)
    except (ImportError, AttributeError) as e:
        raise ConfigError(f"cannot import {path!r}: {e}") from None


def resolve(name: str, table: dict[str, str], kind: str):
    """The class registered as `name` in `table`, or importable as `name`; else a ConfigError listing the names."""
    if name in table:
        return import_object(table[name])
    if "." in name or ":" in name:
        return import_object(name)
    raise ConfigError(
        f"unknown {kind} {name!r}; {_suggest(name, table)}known: {', '.join(sorted(table))} "
        "(or a full import path such as datatrove.pipeline.filters.GopherQualityFilter)"
    )
