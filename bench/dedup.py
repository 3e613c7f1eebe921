"""Deduplication benchmark: near-duplicate quality, signature speed against datatrove/datasketch/rensa, and the whole
pipeline's time and per-stage peak memory as the corpus grows.

    .venv/bin/python bench/dedup.py --quick          # within a minute on 2 cores
    .venv/bin/python bench/dedup.py                  # + 100k and 1M document pipeline runs (several minutes)

Quality: originals are real Nordic documents (shared/data/docs); variants are made by controlled edits (word
substitutions, deletions, insertions, paragraph shuffles, appended boilerplate); the true Jaccard similarity of the
5-word shingle sets of EVERY pair of documents is computed exactly (sparse set intersections). A pair is a
duplicate when its true Jaccard is >= 0.8; our decision is "shares an LSH band and passes verification" at the
default settings. Speed: one core (affinity 0), the same 5-word shingles and 112 permutations for every tool; our
time and rensa's and datasketch's include making the shingles from raw text, datatrove uses its own shingling.
"""

from __future__ import annotations

import argparse
import glob
import gzip
import io
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time

import numpy as np
import zstandard

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from nordic_pile.dedup import shingles as sh  # noqa: E402
from nordic_pile.dedup.components import connected_components  # noqa: E402
from nordic_pile.dedup.fuzzy import MinhashDedup  # noqa: E402
from nordic_pile.dedup.minhash import MinHasher, band_keys, jaccard  # noqa: E402

LANGS = ("nb", "sv", "da", "is", "nn", "fo")
BANDS = [(x / 10, (x + 1) / 10) for x in range(5, 10)]
BOILERPLATE = (
    "Vi bruker informasjonskapsler for å gi deg en bedre opplevelse. Ved å fortsette godtar du vår "
    "personvernerklæring. Les mer om hvordan vi behandler dine data her."
)


def load_docs(data: str, per_lang: int, min_words: int = 80) -> list[str]:
    out = []
    for lang in LANGS:
        path = os.path.join(data, "docs", f"docs_{lang}.jsonl.zst")
        with open(path, "rb") as f:
            reader = io.TextIOWrapper(zstandard.ZstdDecompressor().stream_reader(f), encoding="utf-8")
            taken = 0
            for line in reader:
                text = json.loads(line)["text"]
                if len(text.split()) >= min_words:
                    out.append(text)
                    taken += 1
                    if taken >= per_lang:
                        break
    return out


# ------------------------------------------------------------------------------------------------ near duplicates
def edit(text: str, rng: random.Random, pool: list[str]) -> str:
    """One controlled edit of random kind and strength."""
    kind, strength = rng.choice(["substitute", "delete", "insert", "shuffle", "boilerplate", "mixed"]), rng.random()
    words = text.split(" ")
    k = max(1, int(len(words) * 0.15 * strength))
    if kind in ("substitute", "mixed"):
        for i in rng.sample(range(len(words)), k):
            words[i] = rng.choice(pool)
    if kind in ("delete", "mixed"):
        for i in sorted(rng.sample(range(len(words)), min(k, len(words) - 1)), reverse=True):
            del words[i]
    if kind == "insert":
        for _ in range(k):
            words.insert(rng.randrange(len(words) + 1), rng.choice(pool))
    out = " ".join(words)
    if kind == "shuffle":
        paragraphs = out.split("\n\n")
        rng.shuffle(paragraphs)
        out = "\n\n".join(paragraphs) if len(paragraphs) > 1 else out[len(out) // 2 :] + " " + out[: len(out) // 2]
    if kind == "boilerplate":
        out = out + "\n\n" + " ".join([BOILERPLATE] * (1 + int(strength * 3)))
    return out


def build_benchmark(docs: list[str], originals: int, seed: int = 0) -> list[str]:
    rng = random.Random(seed)
    pool = [w for d in docs[:200] for w in d.split()[:50]]
    corpus = []
    for text in rng.sample(docs, originals):
        corpus.append(text)
        variant = text
        for _ in range(rng.choice([1, 1, 2, 3])):
            variant = edit(variant if rng.random() < 0.5 else text, rng, pool)
            corpus.append(variant)
    return corpus


def true_jaccard_pairs(corpus: list[str], n: int = 5) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(i, j, jaccard) for every pair with at least one shared shingle (all other pairs have Jaccard 0), exactly."""
    from scipy import sparse

    vocab: dict[str, int] = {}
    rows, cols = [], []
    for i, text in enumerate(corpus):
        ids = {vocab.setdefault(s, len(vocab)) for s in sh.shingle_strings(text, "word", n, True)}
        rows += [i] * len(ids)
        cols += list(ids)
    x = sparse.csr_matrix((np.ones(len(rows), np.int32), (rows, cols)), shape=(len(corpus), len(vocab)))
    sizes = np.asarray(x.sum(axis=1)).ravel()
    inter = sparse.triu(x @ x.T, k=1).tocoo()
    jac = inter.data / (sizes[inter.row] + sizes[inter.col] - inter.data)
    return inter.row, inter.col, jac


def quality(corpus: list[str]) -> dict:
    step = MinhashDedup()  # the defaults
    hasher, bands, rows, threshold = step.hasher, step.bands, step.rows, step.threshold
    ti, tj, tjac = true_jaccard_pairs(corpus)
    sigs = np.stack([hasher.signature(t) for t in corpus])
    keys = band_keys(sigs, bands, rows)
    candidates = set()
    for b in range(bands):
        order = np.argsort(keys[:, b], kind="stable")
        k = keys[order, b]
        starts = np.flatnonzero(np.r_[True, k[1:] != k[:-1]])
        for s, e in zip(starts, np.r_[starts[1:], len(k)], strict=True):
            members = sorted(order[s:e].tolist())
            candidates.update(
                (members[x], members[y]) for x in range(len(members)) for y in range(x + 1, len(members))
            )
    sets = [hasher.shingle_set(t) for t in corpus]
    verified = {p for p in candidates if jaccard(sets[p[0]], sets[p[1]]) >= threshold}
    truth = {(int(i), int(j)): float(s) for i, j, s in zip(ti, tj, tjac, strict=True)}
    positives = {p for p, s in truth.items() if s >= threshold}
    tp = len(verified & positives)
    out = {
        "docs": len(corpus),
        "pairs_total": len(corpus) * (len(corpus) - 1) // 2,
        "true_pairs_ge_0.8": len(positives),
        "lsh_candidates": len(candidates),
        "linked": len(verified),
        "precision": tp / max(1, len(verified)),
        "recall": tp / max(1, len(positives)),
        "recall_lsh_only": len(candidates & positives) / max(1, len(positives)),
        "precision_lsh_only": len(candidates & positives) / max(1, len(candidates)),
        "bands": bands,
        "rows": rows,
        "num_perm": hasher.num_perm,
    }
    per_band = {}
    for lo, hi in BANDS:
        pairs = {p for p, s in truth.items() if lo <= s < hi or (hi == 1.0 and s == 1.0)}
        per_band[f"{lo:.1f}-{hi:.1f}"] = {
            "pairs": len(pairs),
            "candidate": len(pairs & candidates) / max(1, len(pairs)),
            "linked": len(pairs & verified) / max(1, len(pairs)),
        }
    out["by_jaccard"] = per_band
    # documents: a document with a true near duplicate (>= 0.8) should end in a cluster of 2 or more
    pairs = np.array(sorted(verified), dtype=np.uint64).reshape(-1, 2)
    nodes, _ = connected_components(pairs[:, 0], pairs[:, 1]) if len(pairs) else (np.array([]), None)
    should = {i for p in positives for i in p}
    clustered = set(nodes.astype(int).tolist())
    out["doc_recall"] = len(should & clustered) / max(1, len(should))
    out["doc_precision"] = len(should & clustered) / max(1, len(clustered))
    return out


# ------------------------------------------------------------------------------------------------ speed
def _median_rate(fn, docs, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn(docs)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def speed(docs: list[str], repeats: int) -> dict:
    os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    mb = sum(len(d.encode("utf-8")) for d in docs) / 1e6
    perms = 112
    ours = MinHasher(num_perm=perms)
    out_row = np.empty(perms, dtype=np.uint32)

    def run_ours(ds):
        for d in ds:
            ours.signature_into(d, out_row)

    def run_numpy(ds):
        saved, sh._c = sh._c, None
        try:
            for d in ds:
                ours.signature_into(d, out_row)
        finally:
            sh._c = saved

    compat = MinHasher(num_perm=perms, hashing="datasketch")

    def run_compat(ds):
        for d in ds:
            compat.signature(d)

    tools = {
        "nordic-pile (C)": run_ours,
        "nordic-pile (numpy fallback)": run_numpy,
        "nordic-pile (datasketch-compatible)": run_compat,
    }
    try:
        from datasketch import MinHash

        def run_datasketch(ds):
            for d in ds:
                m = MinHash(num_perm=perms, seed=1)
                m.update_batch([s.encode("utf-8") for s in sh.shingle_strings(d, "word", 5, True)])

        tools["datasketch MinHash"] = run_datasketch
    except ImportError:
        pass
    try:
        import rensa

        def run_rensa(ds):
            for d in ds:
                m = rensa.RMinHash(num_perm=perms, seed=1)
                m.update(sh.shingle_strings(d, "word", 5, True))
                m.digest()

        prepared = [sh.shingle_strings(d, "word", 5, True) for d in docs]

        def run_rensa_only(ds):
            for s in prepared:
                m = rensa.RMinHash(num_perm=perms, seed=1)
                m.update(s)
                m.digest()

        tools["rensa RMinHash (incl. shingling)"] = run_rensa
        tools["rensa RMinHash (update only, shingles prepared)"] = run_rensa_only
    except ImportError:
        pass
    try:
        from datatrove.pipeline.dedup.minhash import MinhashConfig, MinhashDedupSignature

        with tempfile.TemporaryDirectory() as tmp:
            dt = MinhashDedupSignature(
                tmp, config=MinhashConfig(n_grams=5, num_buckets=14, hashes_per_bucket=8), language="nob"
            )
        dt.get_signature(dt.get_shingles(docs[0]))  # loads its spaCy tokenizer (seconds) before timing

        def run_datatrove(ds):
            for d in ds:
                dt.get_signature(dt.get_shingles(d))

        tools["datatrove MinhashDedupSignature"] = run_datatrove
    except ImportError as e:
        print(f"datatrove's MinhashDedupSignature not measured: {e}", file=sys.stderr)
    results = {}
    for name, fn in tools.items():
        sample = docs if "datatrove" not in name and "datasketch MinHash" not in name else docs[: len(docs) // 4]
        sample_mb = sum(len(d.encode("utf-8")) for d in sample) / 1e6
        seconds = _median_rate(fn, sample, repeats)
        results[name] = {"docs_per_s": len(sample) / seconds, "mb_per_s": sample_mb / seconds}
    os.sched_setaffinity(0, set(range(os.cpu_count() or 1)))
    results["_mb"] = mb
    return results


# ------------------------------------------------------------------------------------------------ pipeline
def make_corpus(folder: str, docs: list[str], n: int, per_shard: int, seed: int = 1) -> None:
    """n documents of 2-3 real paragraphs; 8% near duplicates (2% of words changed) and 4% exact copies."""
    rng = random.Random(seed)
    paragraphs = [p for d in docs for p in d.split("\n\n") if len(p) > 80]
    os.makedirs(folder, exist_ok=True)
    recent: list[str] = []
    shard, f = -1, None
    for i in range(n):
        if i % per_shard == 0:
            if f:
                f.close()
            shard += 1
            f = gzip.open(os.path.join(folder, f"part{shard:05d}.jsonl.gz"), "wt", encoding="utf-8", compresslevel=1)
        r = rng.random()
        if r < 0.04 and recent:
            text = rng.choice(recent)
        elif r < 0.12 and recent:
            words = rng.choice(recent).split(" ")
            for j in rng.sample(range(len(words)), max(1, len(words) // 50)):
                words[j] = rng.choice(words)
            text = " ".join(words)
        else:
            text = "\n\n".join(rng.sample(paragraphs, rng.choice([2, 3]))) + f" ({i})"
        recent = (recent + [text])[-2000:]
        f.write(json.dumps({"id": str(i), "text": text, "lang": "nb"}, ensure_ascii=False) + "\n")
    f.close()


def pipeline(docs: list[str], n: int, tasks: int, workdir: str, workers: int) -> dict:
    corpus, out = os.path.join(workdir, f"corpus_{n}"), os.path.join(workdir, f"out_{n}")
    if not os.path.isdir(corpus):
        make_corpus(corpus, docs, n, per_shard=max(1, n // tasks))
    command = [
        os.path.join(os.path.dirname(sys.executable), "nordic-pile"),
        "run",
        os.path.join(ROOT, "pipelines", "dedup.yaml"),
        "--input",
        corpus,
        "--output",
        out,
        "--tasks",
        str(tasks),
        "--workers",
        str(workers),
        "--overwrite",
    ]
    start = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True)
    seconds = time.perf_counter() - start
    with open(os.path.join(out, "summary.json"), encoding="utf-8") as f:
        summary = json.load(f)
    stages = {}
    for key, stats in summary["step_stats"].items():
        if "peak_rss_mb" in stats:
            stage = key.split("/")[0]
            peak = stats["peak_rss_mb"]
            stages[stage] = max(stages.get(stage, 0.0), peak.get("max", peak.get("total", 0.0)))
    stamps = sorted(
        (os.path.getmtime(p), os.path.basename(os.path.dirname(p)))
        for p in glob.glob(os.path.join(out, "logs", "*", "stats.json"))
    )
    durations, previous = {}, start + (time.time() - time.perf_counter())  # the run's start in wall-clock time
    previous -= 0
    for stamp, name in stamps:
        durations[name] = round(stamp - previous, 1)
        previous = stamp
    return {
        "docs": n,
        "tasks": tasks,
        "seconds": round(seconds, 1),
        "docs_per_s": round(n / seconds),
        "kept": summary["kept"],
        "removed": summary["removed"],
        "balanced": summary["balanced"],
        "peak_rss_mb_by_stage": {k: round(v) for k, v in sorted(stages.items())},
        "stage_seconds": durations,
    }


# ------------------------------------------------------------------------------------------------ main
def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="small sizes: within a minute on 2 cores")
    parser.add_argument("--data", default=os.path.join(ROOT, "..", "shared", "data"))
    parser.add_argument("--workdir", default=os.path.join(ROOT, "bench-output", "dedup"))
    parser.add_argument("--sizes", default=None, help="pipeline sizes, e.g. 100000,1000000")
    args = parser.parse_args()
    if not os.path.isdir(os.path.join(args.data, "docs")):
        args.data = "/work/shared/data"
    docs = load_docs(args.data, per_lang=150 if args.quick else 600)
    rng = random.Random(3)
    bench_docs = build_benchmark(docs, originals=250 if args.quick else 1200)
    q = quality(bench_docs)
    speed_docs = rng.sample(docs, min(len(docs), 400 if args.quick else 2000))
    s = speed(speed_docs, repeats=3 if args.quick else 5)
    sizes = (
        [int(x) for x in args.sizes.split(",")] if args.sizes else ([10_000] if args.quick else [100_000, 1_000_000])
    )
    workers = 1 if args.quick else 2  # one worker: no process pool to start per stage (seconds on 2 cores)
    runs = [pipeline(docs, n, tasks=max(2, n // 25_000), workdir=args.workdir, workers=workers) for n in sizes]

    print(
        f"\nQuality: {q['docs']} documents ({q['pairs_total']:,} pairs, {q['true_pairs_ge_0.8']} with Jaccard >= 0.8), "
        f"{q['num_perm']} permutations, {q['bands']} bands x {q['rows']} rows, verification at 0.8"
    )
    print(
        f"  pairs:     precision {q['precision']:.4f}  recall {q['recall']:.4f}   (LSH alone: precision "
        f"{q['precision_lsh_only']:.3f}, recall {q['recall_lsh_only']:.4f})"
    )
    print(f"  documents: precision {q['doc_precision']:.4f}  recall {q['doc_recall']:.4f}")
    print("  Jaccard band   pairs  candidate  linked")
    for band, v in q["by_jaccard"].items():
        print(f"  {band:<12} {v['pairs']:>7}  {v['candidate']:>9.3f}  {v['linked']:>6.3f}")
    print(f"\nSignature speed, one core, 5-word shingles, 112 permutations, {len(speed_docs)} real Nordic documents")
    print(f"  {'tool':<50} {'docs/s':>9} {'MB/s':>7}")
    for name, v in s.items():
        if not name.startswith("_"):
            print(f"  {name:<50} {v['docs_per_s']:>9,.0f} {v['mb_per_s']:>7.2f}")
    ours = s["nordic-pile (C)"]["mb_per_s"]
    ratios = {k: ours / v["mb_per_s"] for k, v in s.items() if not k.startswith("_") and not k.startswith("nordic")}
    for name, ratio in ratios.items():
        print(f"  nordic-pile / {name}: {ratio:.1f}x")
    print(f"\nWhole pipeline (pipelines/dedup.yaml: exact + MinHash, verified), --workers {workers}")
    for r in runs:
        print(
            f"  {r['docs']:>9,} docs, {r['tasks']} tasks: {r['seconds']} s ({r['docs_per_s']:,} docs/s), kept "
            f"{r['kept']:,}, removed {r['removed']:,}, balanced {r['balanced']}"
        )
        if workers > 1:  # with one worker every stage runs in the same process: its peak is cumulative
            print(f"    peak RSS MB by stage: {r['peak_rss_mb_by_stage']}")
        print(f"    seconds by stage: {r['stage_seconds']}")
    figures = {
        "precision": round(q["precision"], 4),
        "recall": round(q["recall"], 4),
        "doc_precision": round(q["doc_precision"], 4),
        "doc_recall": round(q["doc_recall"], 4),
        "by_jaccard": {k: round(v["linked"], 4) for k, v in q["by_jaccard"].items()},
        "speed_mb_s": {k: round(v["mb_per_s"], 2) for k, v in s.items() if not k.startswith("_")},
        "ratio_vs": {k: round(v, 2) for k, v in ratios.items()},
        "pipeline": runs,
        "workers": workers,
    }
    print(json.dumps(figures, ensure_ascii=False))


if __name__ == "__main__":
    main()
