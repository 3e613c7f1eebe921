"""Benchmark `nordic-pile audit` on a synthetic run output built from real Nordic text (1M documents by default):
wall time and peak memory (the audit process and its workers together), beside datatrove's DocStats
(summary statistics only, 2 tasks) over the same kept files.

    .venv/bin/python bench/audit.py [--quick] [--docs N] [--workers 2] [--data ../shared/data] [--keep DIR]
"""

from __future__ import annotations

import argparse
import gzip
import io
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time

import orjson
import psutil
import zstandard

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LANGS = {"sv": "swe", "da": "dan", "nb": "nob", "nn": "nno", "is": "isl", "fo": "fao", "en": "eng"}
DOMAINS = [f"site{i}.{tld}" for i in range(400) for tld in ("se", "no", "dk", "is", "fo")]


def paragraphs(data: str, per_language: int) -> dict[str, list[str]]:
    out = {}
    for lang in LANGS:
        paras = []
        with open(os.path.join(data, "docs", f"docs_{lang}.jsonl.zst"), "rb") as f:
            reader = zstandard.ZstdDecompressor().stream_reader(f, read_across_frames=True)
            for i, line in enumerate(io.TextIOWrapper(reader, encoding="utf-8")):
                if i >= per_language:
                    break
                paras += [p for p in json.loads(line)["text"].split("\n\n") if len(p) > 40]
        out[LANGS[lang]] = paras
    return out


def build_corpus(folder: str, n_docs: int, paras: dict[str, list[str]], files: int = 16) -> float:
    """A run output: data/<lang>/<category>/NNNNN.jsonl.gz, removed/<step>/, summary.json; returns GB of text."""
    rng = random.Random(0)
    languages = list(paras)
    handles, total = {}, 0
    for i in range(n_docs):
        lang = languages[i % len(languages)]
        text = "\n\n".join(rng.choice(paras[lang]) for _ in range(rng.randint(1, 4)))
        total += len(text)
        meta = {
            "language": lang,
            "category": rng.choice(("web", "news", "wiki")),
            "source": f"src{i % 37}",
            "url": f"https://{rng.choice(DOMAINS[: 50 + i % 1950])}/{i}",
            "language_score": rng.random() ** 0.2,
            "quality": {
                "mean_word_length": rng.gauss(5, 1),
                "stop_word_ratio": rng.random(),
                "lines": rng.randint(1, 40),
            },
            "dup_cluster_size": int(rng.paretovariate(1.2)),
            "language_shares": {lang: 1.0} if rng.random() < 0.9 else {lang: 0.6, "eng": 0.4},
        }
        if i % 2:
            meta["pii"] = {}  # half as the pii step leaves them; the other half the audit scans itself
        if i % 10 == 0:
            step = rng.choice(("quality", "dedup"))
            meta |= {"removed_by": step, "filter_reason": f"{step}_{rng.choice(('a', 'b', 'c'))}"}
            path = os.path.join(folder, "removed", step, f"{i % files:05d}.jsonl.gz")
        else:
            path = os.path.join(folder, "data", lang, meta["category"], f"{i % files:05d}.jsonl.gz")
        if path not in handles:
            os.makedirs(os.path.dirname(path), exist_ok=True)
            handles[path] = gzip.open(path, "wb", compresslevel=1)
        handles[path].write(orjson.dumps({"text": text, "id": str(i), "metadata": meta}) + b"\n")
    for h in handles.values():
        h.close()
    with open(os.path.join(folder, "summary.json"), "w") as f:
        json.dump(
            {
                "read": n_docs,
                "kept": n_docs - (n_docs + 9) // 10,
                "removed": (n_docs + 9) // 10,
                "quarantined": 0,
                "balanced": True,
                "steps": {},
            },
            f,
        )
    return total / 1e9


def measure(cmd: list[str]) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB) summed over the process and its children, sampled every 0.1 s."""
    start = time.perf_counter()
    proc = psutil.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    peak = 0
    while proc.poll() is None:
        try:
            procs = [proc] + proc.children(recursive=True)
            peak = max(peak, sum(p.memory_info().rss for p in procs if p.is_running()))
        except psutil.Error:
            pass
        time.sleep(0.1)
    out = proc.stdout.read().decode()
    if proc.returncode:
        raise SystemExit(f"{' '.join(cmd)} failed:\n{out}")
    return time.perf_counter() - start, peak / 1e6


DOCSTATS = """
import sys
from datatrove.executor import LocalPipelineExecutor
from datatrove.pipeline.readers import JsonlReader
from datatrove.pipeline.stats import DocStats
if __name__ == "__main__":
    LocalPipelineExecutor([JsonlReader(sys.argv[1], glob_pattern="**/*.jsonl.gz"),
                           DocStats(sys.argv[2], groups_to_compute=["summary"])],
                          tasks=2, workers=2, logging_dir=sys.argv[3]).run()
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="10,000 documents (under a minute)")
    parser.add_argument("--docs", type=int, help="documents in the synthetic corpus (default 1,000,000)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--data", default=os.path.join(ROOT, "..", "..", "shared", "data"))
    parser.add_argument("--keep", help="build the corpus here and keep it (default: a temporary folder)")
    parser.add_argument(
        "--skip-datatrove",
        action="store_true",
        help="do not run datatrove's DocStats (it took about twice the audit's time in --quick runs)",
    )
    args = parser.parse_args()
    if not os.path.isdir(os.path.join(args.data, "docs")):
        args.data = "/work/shared/data"
    n_docs = args.docs or (10_000 if args.quick else 1_000_000)
    folder = args.keep or tempfile.mkdtemp(prefix="audit-bench-")
    try:
        start = time.perf_counter()
        gb = build_corpus(folder, n_docs, paragraphs(args.data, 300))
        print(f"built {n_docs:,} documents ({gb:.2f} G characters) in {time.perf_counter() - start:.0f} s: {folder}")
        nordic = os.path.join(ROOT, ".venv", "bin", "nordic-pile")
        nordic = nordic if os.path.exists(nordic) else shutil.which("nordic-pile")
        ours_s, ours_mb = measure(
            [nordic, "audit", folder, "--out", os.path.join(folder, "report"), "--workers", str(args.workers)]
        )
        report = os.path.join(folder, "report", "audit.html")
        html_mb = os.path.getsize(report) / 1e6
        json_mb = os.path.getsize(os.path.join(folder, "report", "audit.json")) / 1e6
        script = os.path.join(folder, "docstats.py")
        with open(script, "w") as f:
            f.write(DOCSTATS)
        theirs_s, theirs_mb = (
            (float("nan"), float("nan"))
            if args.skip_datatrove
            else measure(
                [
                    sys.executable,
                    script,
                    os.path.join(folder, "data"),
                    os.path.join(folder, "docstats"),
                    os.path.join(folder, "docstats-logs"),
                ]
            )
        )
    finally:
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)
    print(f"{'tool':<44} {'seconds':>8} {'docs/s':>9} {'peak RSS MB':>12}")
    print(
        f"{'nordic-pile audit (' + str(args.workers) + ' workers, all sections)':<44} {ours_s:>8.1f} "
        f"{n_docs / ours_s:>9,.0f} {ours_mb:>12,.0f}"
    )
    print(
        f"{'datatrove DocStats (2 tasks, summary only)':<44} {theirs_s:>8.1f} {n_docs * 0.9 / theirs_s:>9,.0f} "
        f"{theirs_mb:>12,.0f}"
    )
    print(f"report: audit.html {html_mb:.2f} MB, audit.json {json_mb:.2f} MB")
    print(
        json.dumps(
            {
                "bench": "audit",
                "docs": n_docs,
                "gchars": round(gb, 3),
                "workers": args.workers,
                "ours_seconds": round(ours_s, 1),
                "ours_peak_rss_mb": round(ours_mb),
                "ours_docs_per_s": round(n_docs / ours_s),
                "datatrove_docstats_seconds": None if args.skip_datatrove else round(theirs_s, 1),
                "datatrove_docstats_peak_rss_mb": None if args.skip_datatrove else round(theirs_mb),
                "html_mb": round(html_mb, 2),
                "json_mb": round(json_mb, 2),
            }
        )
    )


if __name__ == "__main__":
    main()
