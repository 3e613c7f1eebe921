"""How the compiler lays out deduplication stages (and the one change made to it for them)."""

from __future__ import annotations

from nordic_pile.recipe.compile import compile_plan
from nordic_pile.recipe.schema import parse_recipe
from tests.dedup.conftest import write_shards
from tests.dedup.runs import write_recipe


def test_barrier_stages_follow_workers_and_are_named_per_step(tmp_path):
    write_shards(tmp_path / "in", [[{"text": "Halló heimur.", "lang": "is"}]])
    recipe = write_recipe(tmp_path / "r.yaml", "  - exact_dedup:\n  - minhash_dedup: {cluster_rounds: 2}\n")
    plan = compile_plan(parse_recipe(str(recipe)), str(tmp_path / "in"), str(tmp_path / "out"), tasks=3, workers=1)
    names = [s.name for s in plan.stages]
    assert names == [
        "stage0",
        "exact_dedup_groups",
        "exact_dedup_representatives",
        "stage3",
        "minhash_dedup_buckets",
        "minhash_dedup_clusters0",
        "minhash_dedup_clusters1",
        "minhash_dedup_clusters2",
        "minhash_dedup_representatives",
        "stage9",
    ]
    assert all(s.workers == 1 and s.tasks == 3 for s in plan.stages)  # --workers reaches the barrier stages too
    assert [s.handles_documents for s in plan.stages].count(True) == 3
