"""Signatures, shingles, LSH parameters and components against the reference implementations."""

from __future__ import annotations

import numpy as np
import pytest

from nordic_pile.dedup import shingles as sh
from nordic_pile.dedup.components import connected_components
from nordic_pile.dedup.lsh_params import optimal_bands_rows
from nordic_pile.dedup.minhash import MinHasher, band_keys, jaccard
from nordic_pile.errors import ConfigError
from nordic_pile.text.words import words

datasketch = pytest.importorskip("datasketch")

NORDIC = "Þetta er bl.a. próf, t.ex. með e-post og 17-årig rock'n'roll. ÆØÅ æøå ÞÐ þð. Σ Ω İ"


@pytest.mark.parametrize("scheme", ["affine32", "legacy"])
@pytest.mark.parametrize(("shingle", "n"), [("word", 5), ("char", 10), ("word", 1)])
def test_signature_equals_datasketch(docs, scheme, shingle, n):
    hasher = MinHasher(num_perm=64, seed=7, shingle=shingle, n=n, hashing="datasketch", scheme=scheme)
    for text in docs[:5] + [NORDIC, "ord"]:
        reference = datasketch.MinHash(num_perm=64, seed=7, scheme=scheme)
        reference.update_batch([s.encode("utf-8") for s in sh.shingle_strings(text, shingle, n, True)])
        assert np.array_equal(hasher.signature(text), reference.hashvalues)


def test_shingle_strings_use_the_nordic_tokeniser():
    assert sh.shingle_strings(NORDIC, "word", 1, False) == words(NORDIC)
    assert sh.shingle_strings("Hei  på\ndeg", "char", 4, True) == [
        "hei ",
        "ei p",
        "i på",
        " på ",
        "på d",
        "å de",
        " deg",
    ]
    assert sh.shingle_strings("Hei", "word", 5, True) == ["hei"]  # fewer words than n: one shingle
    assert sh.shingle_strings(" ... ", "word", 5, True) == []


@pytest.mark.skipif(sh._c is None, reason="the C extension was not built")
@pytest.mark.parametrize(("shingle", "n"), [("word", 5), ("char", 10), ("word", 2)])
def test_c_extension_equals_numpy(docs, shingle, n):
    hasher = MinHasher(num_perm=32, shingle=shingle, n=n)
    for text in docs[:10] + [NORDIC, "", "a"]:
        c = sh.fast_shingle_hashes(text, shingle, n, True)
        assert np.array_equal(c, sh.numpy_shingle_hashes(text, shingle, n, True))
        assert len(np.frombuffer(sh._c.shingle_hashes(text, 0, 1, False), np.uint32)) == len(words(text))
        via_c = hasher.signature(text)
        x = (np.asarray(c, np.uint64) if len(c) else np.zeros(0, np.uint64)).astype(np.uint32)
        assert np.array_equal(via_c, hasher.minhash(x))


@pytest.mark.parametrize("threshold", [0.5, 0.7, 0.8, 0.9])
@pytest.mark.parametrize("weights", [(0.5, 0.5), (0.02, 0.98)])
def test_lsh_params_match_datasketch(threshold, weights):
    from datasketch.lsh import _optimal_param

    assert optimal_bands_rows(threshold, 112, *weights) == _optimal_param(threshold, 112, *weights)


def test_estimate_tracks_true_jaccard(docs):
    hasher = MinHasher(num_perm=256)
    a, b = docs[0], docs[0].replace("og", "eða")
    true = jaccard(hasher.shingle_set(a), hasher.shingle_set(b))
    estimate = float(np.mean(hasher.signature(a) == hasher.signature(b)))
    assert 0.2 < true < 0.95 and abs(true - estimate) < 0.1
    keys = band_keys(np.stack([hasher.signature(a), hasher.signature(a)]), 16, 8)
    assert np.array_equal(keys[0], keys[1]) and len(set(keys[0].tolist())) == 16


def test_bad_parameters_are_named():
    with pytest.raises(ConfigError, match="shingle="):
        MinHasher(shingle="sentence")
    with pytest.raises(ConfigError, match="scheme='legacy'"):
        MinHasher(scheme="legacy")


def test_connected_components_match_scipy():
    sparse = pytest.importorskip("scipy.sparse")
    csgraph = pytest.importorskip("scipy.sparse.csgraph")
    rng = np.random.default_rng(3)
    n = 3000
    u, v = rng.integers(0, n, 2500).astype(np.uint64), rng.integers(0, n, 2500).astype(np.uint64)
    chain = np.arange(500, 900, dtype=np.uint64)  # a long path converges too
    u, v = np.concatenate([u, chain[:-1]]), np.concatenate([v, chain[1:]])
    nodes, labels = connected_components(u * 7 + 11, v * 7 + 11)
    _, ref = csgraph.connected_components(sparse.coo_matrix((np.ones(len(u)), (u, v)), shape=(n, n)), directed=False)
    present = (nodes - 11) // 7
    for comp in np.unique(ref[present]):
        members = nodes[ref[present] == comp]
        assert (labels[ref[present] == comp] == members.min()).all()
