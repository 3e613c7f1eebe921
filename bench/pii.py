"""Benchmark the PII detector against datatrove's PIIFormatter: speed on real Nordic documents, and precision and
recall on the labelled set (datatrove finds only e-mail and IPv4 addresses, so it is scored on those types).

    .venv/bin/python bench/pii.py [--quick] [--data ../shared/data]
"""

from __future__ import annotations

import argparse
import io
import json
import os
import statistics
import sys
import time

import zstandard

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)
LANGS = ("sv", "da", "nb", "nn", "is", "fo", "en", "fi")


def load_docs(data: str, per_language: int) -> list[str]:
    docs = []
    for lang in LANGS:
        path = os.path.join(data, "docs", f"docs_{lang}.jsonl.zst")
        with open(path, "rb") as f:
            reader = zstandard.ZstdDecompressor().stream_reader(f, read_across_frames=True)
            for i, line in enumerate(io.TextIOWrapper(reader, encoding="utf-8")):
                if i >= per_language:
                    break
                docs.append(json.loads(line)["text"])
    return docs


def timed(fn, docs: list[str], repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        for text in docs:
            fn(text)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def datatrove_spans(formatter):
    """datatrove's own regexes and IP validator, as spans (its formatter only replaces)."""

    def predict(text: str, _language=None):
        out = [("email", m.start(), m.end()) for m in formatter.emails_replacer.regex.finditer(text)]
        ip = formatter.ip_replacer
        out += [("ip", m.start(), m.end()) for m in ip.regex.finditer(text) if ip.validator(m.group(0))]
        return out

    return predict


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="fewer documents and repeats (under a minute)")
    parser.add_argument(
        "--data",
        default=os.path.join(ROOT, "..", "..", "shared", "data"),
        help="the shared data folder (docs/docs_*.jsonl.zst)",
    )
    args = parser.parse_args()
    if not os.path.isdir(os.path.join(args.data, "docs")):
        args.data = "/work/shared/data"
    from datatrove.pipeline.formatters import PIIFormatter

    from nordic_pile.pii.detect import find_pii
    from nordic_pile.pii.scoring import score_spans

    per_language, repeats = (400, 3) if args.quick else (4000, 5)
    docs = load_docs(args.data, per_language)
    mb = sum(len(t.encode("utf-8")) for t in docs) / 1e6
    formatter = PIIFormatter()
    ours_s = timed(find_pii, docs, repeats)
    theirs_s = timed(formatter.format, docs, repeats)
    found: dict[str, int] = {}
    for text in docs:
        for s in find_pii(text):
            found[s.type] = found.get(s.type, 0) + 1
    theirs_predict = datatrove_spans(formatter)
    theirs_found: dict[str, int] = {}
    for text in docs:
        for kind, *_ in theirs_predict(text):
            theirs_found[kind] = theirs_found.get(kind, 0) + 1

    with open(os.path.join(ROOT, "tests", "data", "pii", "labelled.jsonl"), encoding="utf-8") as f:
        records = [json.loads(line) for line in f]
    ours = score_spans(records, lambda t, lang: [(s.type, s.start, s.end) for s in find_pii(t, lang)])
    ours_nolang = score_spans(records, lambda t, _: [(s.type, s.start, s.end) for s in find_pii(t)])
    theirs = score_spans(records, theirs_predict, types=("email", "ip"))

    print(f"{len(docs):,} real documents ({mb:.1f} MB, {', '.join(LANGS)}), median of {repeats} runs, one core")
    print(f"{'tool':<34} {'docs/s':>10} {'MB/s':>8}  types")
    print(f"{'nordic-pile find_pii':<34} {len(docs) / ours_s:>10,.0f} {mb / ours_s:>8.1f}  8")
    print(f"{'datatrove PIIFormatter':<34} {len(docs) / theirs_s:>10,.0f} {mb / theirs_s:>8.1f}  2 (email, IPv4)")
    print(f"found in the real documents: ours {found}; datatrove {theirs_found}")
    print(f"\nlabelled set: {len(records):,} texts; precision / recall (tp, fp, fn)")
    print(f"{'type':<18} {'ours':>22} {'ours, no language':>22} {'datatrove':>22}")

    def cell(x: dict) -> str:
        return f"{x['precision']:.3f}/{x['recall']:.3f} ({x['tp']},{x['fp']},{x['fn']})"

    for kind, s in ours.items():
        t = theirs.get(kind)
        print(f"{kind:<18} {cell(s):>22} {cell(ours_nolang[kind]):>22} {cell(t) if t else '-':>22}")
    print(
        json.dumps(
            {
                "bench": "pii",
                "quick": args.quick,
                "docs": len(docs),
                "mb": round(mb, 2),
                "ours_docs_per_s": round(len(docs) / ours_s),
                "ours_mb_per_s": round(mb / ours_s, 2),
                "datatrove_docs_per_s": round(len(docs) / theirs_s),
                "datatrove_mb_per_s": round(mb / theirs_s, 2),
                "ours_found": found,
                "datatrove_found": theirs_found,
                "ours": {k: {"precision": v["precision"], "recall": v["recall"]} for k, v in ours.items()},
                "ours_without_language": {
                    k: {"precision": v["precision"], "recall": v["recall"]} for k, v in ours_nolang.items()
                },
                "datatrove": {k: {"precision": v["precision"], "recall": v["recall"]} for k, v in theirs.items()},
            }
        )
    )


if __name__ == "__main__":
    main()
