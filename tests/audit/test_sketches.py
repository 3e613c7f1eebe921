"""The streaming summaries: bins hold their values, samples and merges do not depend on order or partition."""

import random

from nordic_pile.audit.sketches import BottomK, Histogram, TopK


def test_every_value_lies_in_its_bin():
    for hist in (Histogram("log", 0.02), Histogram("linear", 0.02)):
        for v in (-1234.5, -5.0, -0.3, 0.0, 0.01, 0.5, 1.0, 7.0, 999.0, 1e7):
            key = hist._key(v)
            assert hist.edge(key) <= v < hist.edge(key + 1), (hist.scale, v, key)


def test_histogram_quantiles_and_merge():
    rng = random.Random(1)
    values = [rng.lognormvariate(6, 1) for _ in range(5000)]
    whole, a, b = Histogram(), Histogram(), Histogram()
    for i, v in enumerate(values):
        whole.add(v)
        (a if i % 3 else b).add(v)
    a.merge(b)
    assert a.to_dict() == whole.to_dict()
    median = sorted(values)[2500]
    assert abs(whole.quantile(0.5) - median) / median < 0.05  # bins are 4.7% wide
    assert Histogram.from_dict(whole.to_dict()).to_dict() == whole.to_dict()


def test_bottom_k_is_a_seeded_sample_independent_of_order_and_partition():
    keys = [f"doc{i}" for i in range(1000)]
    whole = BottomK(5, seed=3)
    for k in keys:
        whole.offer(k, {"id": k})
    parts = [BottomK(5, seed=3) for _ in range(3)]
    for i, k in enumerate(reversed(keys)):
        parts[i % 3].offer(k, {"id": k})
    merged = BottomK(5, seed=3)
    for part in parts:
        merged.merge(part)
    assert merged.items() == whole.items() and len(whole.items()) == 5
    other_seed = BottomK(5, seed=4)
    for k in keys:
        other_seed.offer(k, {"id": k})
    assert other_seed.items() != whole.items()


def test_top_k_keeps_heavy_hitters_with_bounded_memory():
    top = TopK(capacity=50)
    rng = random.Random(0)
    for i in range(20000):
        top.add("heavy.no" if i % 10 == 0 else f"rare{rng.randint(0, 100000)}.se")
    assert len(top.counts) <= 100
    assert top.top(1)[0][0] == "heavy.no" and top.top(1)[0][1] >= 2000 - top.error
