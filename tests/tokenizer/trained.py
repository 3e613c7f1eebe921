"""A small tokenizer trained once per test session on the curated fixture (vocabulary 2,000: a few seconds)."""

from nordic_pile.tokenizer.build import build_tokenizer
from nordic_pile.tokenizer.settings import TokenizerSettings
from tests.conftest import DATA

CURATED = DATA / "curated"
VOCAB = 2000
_CACHE: dict = {}


def trained_tokenizer(tmp_path_factory):
    """(output folder, training.json record) of `tokenizer train` on all of tests/data/curated."""
    if "tok" not in _CACHE:
        out = tmp_path_factory.getbasetemp() / "trained-tokenizer"
        info = build_tokenizer(
            [str(CURATED)], str(out), TokenizerSettings(vocab_size=VOCAB), fraction=1.0, tasks=2, workers=1
        )
        _CACHE["tok"] = (out, info)
    return _CACHE["tok"]
