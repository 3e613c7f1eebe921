"""Benchmark nordic-pile's readers against the established tools, on real pages and documents.

    python bench/readers.py [--data ../shared/data] [--quick]

- HTML: our extraction (trafilatura's content tree, rendered as paragraphs) against datatrove's `Trafilatura`
  extractor, on the 33 real documentation pages of ../shared/data/html: speed, text kept, paragraph structure,
  and boilerplate (lines that recur in 3 or more pages' output).
- WARC: `WarcDocReader` against datatrove's `WarcReader` + `Trafilatura` on an archive of those pages.
- Parquet and JSONL: our readers (with their per-record accounting) against datatrove's on docs_sv.
- MediaWiki: our cleaning against mwparserfromhell's `strip_code()`, on the test dump repeated.
- Legacy encodings: `detect_legacy_encoding` against charset-normalizer's best guess, on Nordic documents.

Ends with one JSON line of figures.
"""

from __future__ import annotations

import argparse
import io
import json
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import zstandard

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def fresh() -> None:
    """Empty trafilatura's process-wide caches, its duplicate-text cache among them: with `deduplicate=True`
    (datatrove's default) a page seen more than twice comes back empty, so repeated runs must start clean."""
    from trafilatura.meta import reset_caches

    reset_caches()


def timed(fn, repeat: int):
    """(result of the last run, median seconds); trafilatura's caches are emptied before each run."""
    times, result = [], None
    for _ in range(repeat):
        fresh()
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return result, statistics.median(times)


def repeated_line_share(outputs: list[str]) -> float:
    """Share of output lines that recur in 3 or more pages: navigation, headers and footers that leaked."""
    pages_with = Counter()
    for text in outputs:
        pages_with.update({line.strip() for line in text.splitlines() if len(line.strip()) > 3})
    lines = [line.strip() for text in outputs for line in text.splitlines() if len(line.strip()) > 3]
    return sum(pages_with[line] >= 3 for line in lines) / max(1, len(lines))


# ---------------------------------------------------------------------------------------------------- HTML
def bench_html(data: Path, repeat: int) -> dict:
    from datatrove.pipeline.extractors import Trafilatura

    from nordic_pile.readers.webpage import decode_html, extract_page

    pages = [decode_html(p.read_bytes())[0] for p in sorted((data / "html").glob("*/*.html"))]
    ours, t_ours = timed(lambda: [extract_page(h).text for h in pages], repeat)
    extractor = Trafilatura(favour_precision=True)
    theirs, t_theirs = timed(lambda: [extractor.extract(h) or "" for h in pages], repeat)
    row = {}
    for name, out, seconds in (("nordic-pile", ours, t_ours), ("datatrove Trafilatura", theirs, t_theirs)):
        row[name] = {
            "pages_per_s": len(pages) / seconds,
            "chars": sum(map(len, out)),
            "paragraphs_per_page": statistics.mean(len([p for p in o.split("\n\n") if p.strip()]) for o in out),
            "repeated_line_share": repeated_line_share(out),
        }
    return {"pages": len(pages), **row}


# ---------------------------------------------------------------------------------------------------- WARC
def _archive(data: Path, path: Path, copies: int) -> int:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    n = 0
    with open(path, "wb") as f:
        writer = WARCWriter(f, gzip=True)
        for copy in range(copies):
            for page in sorted((data / "html").glob("*/*.html")):
                url = f"https://docs.example.org/{copy}/{page.parent.name}/{page.name}"
                http = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], "HTTP/1.1")
                writer.write_record(
                    writer.create_warc_record(
                        url, "response", payload=io.BytesIO(page.read_bytes()), http_headers=http
                    )
                )
                writer.write_record(
                    writer.create_warc_record(url, "request", payload=io.BytesIO(b"GET / HTTP/1.1\r\n\r\n"))
                )
                n += 1
    return n


def bench_warc(data: Path, copies: int) -> dict:
    from datatrove.pipeline.extractors import Trafilatura
    from datatrove.pipeline.readers import WarcReader

    from nordic_pile.readers.warc import WarcDocReader

    with tempfile.TemporaryDirectory() as tmp:
        pages = _archive(data, Path(tmp) / "a.warc.gz", copies)
        size = (Path(tmp) / "a.warc.gz").stat().st_size
        ours = WarcDocReader(tmp)
        docs, t_ours = timed(lambda: [r.text for r in ours.records("a.warc.gz")], 1)
        extractor = Trafilatura(favour_precision=True)
        reader = WarcReader(tmp)
        theirs, t_theirs = timed(lambda: [extractor.extract(d.text) for d in reader.read_file("a.warc.gz")], 1)
        no_dedup = Trafilatura(favour_precision=True, deduplicate=False)
        unique, _ = timed(lambda: [no_dedup.extract(d.text) for d in reader.read_file("a.warc.gz")], 1)
    return {
        "pages": pages,
        "compressed_mb": size / 1e6,
        "nordic-pile": {
            "responses_per_s": pages / t_ours,
            "documents": len(docs),
            "documents_per_s": len(docs) / t_ours,
        },
        "datatrove WarcReader+Trafilatura": {
            "responses_per_s": pages / t_theirs,
            "documents": sum(bool(t) for t in theirs),
            "documents_per_s": sum(bool(t) for t in theirs) / t_theirs,
            "documents_without_dedup": sum(bool(t) for t in unique),
        },
    }


# ---------------------------------------------------------------------------------------------------- Parquet/JSONL
def bench_tables(data: Path, limit: int) -> dict:
    import pyarrow as pa
    import pyarrow.parquet as pq
    from datatrove.pipeline.readers import JsonlReader, ParquetReader

    from nordic_pile.readers.jsonl import JsonlDocReader
    from nordic_pile.readers.parquet import ParquetDocReader

    raw = zstandard.ZstdDecompressor().stream_reader(open(data / "docs" / "docs_sv.jsonl.zst", "rb")).read()
    rows = [json.loads(line) for line in raw.splitlines()[:limit]]
    mb = sum(len(r["text"].encode()) for r in rows) / 1e6
    out = {"docs": len(rows), "text_mb": mb}
    with tempfile.TemporaryDirectory() as tmp:
        pq.write_table(pa.Table.from_pylist(rows), f"{tmp}/d.parquet", compression="zstd")
        Path(tmp, "d.jsonl").write_bytes(b"\n".join(json.dumps(r).encode() for r in rows) + b"\n")
        for label, ours, theirs, name in (
            ("parquet", ParquetDocReader(tmp), ParquetReader(tmp, read_metadata=True), "d.parquet"),
            ("jsonl", JsonlDocReader(tmp), JsonlReader(tmp, glob_pattern="*.jsonl"), "d.jsonl"),
        ):
            ours._rank = 0
            _, t_ours = timed(lambda r=ours, n=name: sum(1 for _ in r.read_file(n)), 5)
            _, t_records = timed(lambda r=ours, n=name: sum(1 for _ in r.records(n)), 5)
            _, t_theirs = timed(lambda r=theirs, n=name: sum(1 for _ in r.read_file(n)), 5)
            out[label] = {
                "nordic-pile_docs_per_s": len(rows) / t_ours,
                "nordic-pile_records_only_docs_per_s": len(rows) / t_records,
                "datatrove_docs_per_s": len(rows) / t_theirs,
                "nordic-pile_mb_per_s": mb / t_ours,
                "datatrove_mb_per_s": mb / t_theirs,
            }
    return out


# ---------------------------------------------------------------------------------------------------- MediaWiki
LEFTOVERS = (
    "thumb",
    "Bólkur",
    "{{",
    "}}",
    "[[",
    "]]",
    "Infobox",
    "Citation",
    "164 130",
    "Faroe Islands",
    "NOTOC",
    "<ref",
    "Ríkisfelagsskapurin",
    "'''",
)


def bench_wiki(copies: int) -> dict:
    import mwparserfromhell
    from lxml import etree

    from nordic_pile.readers.wikitext import wikitext_to_text

    dump = ROOT / "tests" / "data" / "readers" / "mediawiki" / "fowiki-sample.xml"
    texts = [t.text for t in etree.parse(str(dump)).iter("{*}text") if t.text]
    texts = texts * copies
    ours, t_ours = timed(lambda: [wikitext_to_text(t, ["Mynd", "Bólkur"]) for t in texts], 3)
    theirs, t_theirs = timed(lambda: [mwparserfromhell.parse(t).strip_code() for t in texts], 3)

    def leftovers(outs):
        return sum(o.count(s) for o in outs for s in LEFTOVERS) / copies

    return {
        "pages": len(texts),
        "nordic-pile": {"pages_per_s": len(texts) / t_ours, "leftovers": leftovers(ours)},
        "mwparserfromhell strip_code": {"pages_per_s": len(texts) / t_theirs, "leftovers": leftovers(theirs)},
    }


# ---------------------------------------------------------------------------------------------------- encodings
def bench_encodings(data: Path, per_language: int) -> dict:
    from charset_normalizer import from_bytes

    from nordic_pile.readers.text import LEGACY_ENCODINGS, detect_legacy_encoding

    docs = []
    for lang in ("sv", "da", "nb", "is", "fo", "fi"):
        raw = zstandard.ZstdDecompressor().stream_reader(open(data / "docs" / f"docs_{lang}.jsonl.zst", "rb"))
        lines = io.TextIOWrapper(raw, encoding="utf-8")
        picked = [
            json.loads(line)["text"] for i, line in zip(range(per_language * 20), lines, strict=False) if i % 20 == 0
        ]
        docs += [t for t in picked if not t.isascii()]
    score = Counter()
    for encoding in ("cp1252", "cp850", "cp865"):
        for text in docs:
            data_bytes = text.encode(encoding, errors="replace")
            truth = data_bytes.decode(encoding)
            guesses = {"nordic-pile": detect_legacy_encoding(data_bytes)}
            best = from_bytes(data_bytes, cp_isolation=list(LEGACY_ENCODINGS)).best()
            guesses["charset-normalizer (same candidates)"] = best.encoding if best else "cp1252"
            best = from_bytes(data_bytes).best()
            guesses["charset-normalizer (all)"] = best.encoding if best else "cp1252"
            for name, guess in guesses.items():
                score[name] += data_bytes.decode(guess, errors="replace") == truth
    total = 3 * len(docs)
    return {"documents": total, **{name: score[name] / total for name in score}}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--data",
        type=Path,
        default=next(
            (p for p in (ROOT.parent / "shared" / "data", ROOT.parent.parent / "shared" / "data") if p.is_dir()),
            ROOT.parent / "shared" / "data",
        ),
    )
    parser.add_argument("--quick", action="store_true", help="small sizes: finishes within a minute on 2 cores")
    args = parser.parse_args()
    quick = args.quick
    html = bench_html(args.data, 3 if quick else 5)
    warc = bench_warc(args.data, 2 if quick else 10)
    tables = bench_tables(args.data, 1500 if quick else 100_000)
    wiki = bench_wiki(20 if quick else 200)
    enc = bench_encodings(args.data, 10 if quick else 40)

    print(f"\nHTML extraction, {html['pages']} real pages (median of runs, one core)")
    print(f"{'tool':28} {'pages/s':>8} {'chars':>8} {'paragraphs/page':>16} {'repeated lines':>15}")
    for name in ("nordic-pile", "datatrove Trafilatura"):
        r = html[name]
        print(
            f"{name:28} {r['pages_per_s']:8.1f} {r['chars']:8d} {r['paragraphs_per_page']:16.1f} "
            f"{r['repeated_line_share']:15.1%}"
        )
    print(f"\nWARC, {warc['pages']} HTML responses ({warc['compressed_mb']:.1f} MB gzip)")
    for name in ("nordic-pile", "datatrove WarcReader+Trafilatura"):
        r = warc[name]
        print(
            f"{name:34} {r['responses_per_s']:8.1f} responses/s {r['documents']:5d} documents "
            f"{r['documents_per_s']:6.1f} documents/s"
        )
    print(
        f"{'  (datatrove, deduplicate=False)':34} {'':21} {warc['datatrove WarcReader+Trafilatura']['documents_without_dedup']:5d}"
        " documents: the rest are XHTML pages its libmagic sniffing calls text/xml"
    )
    print(f"\nTable formats, {tables['docs']} Swedish documents ({tables['text_mb']:.1f} MB of text)")
    for fmt in ("parquet", "jsonl"):
        r = tables[fmt]
        print(
            f"{fmt:8} nordic-pile {r['nordic-pile_docs_per_s']:9.0f} docs/s {r['nordic-pile_mb_per_s']:6.1f} MB/s | "
            f"datatrove {r['datatrove_docs_per_s']:9.0f} docs/s {r['datatrove_mb_per_s']:6.1f} MB/s | "
            f"ours without the per-record accounting {r['nordic-pile_records_only_docs_per_s']:7.0f} docs/s"
        )
    print(f"\nMediaWiki, {wiki['pages']} pages (leftover markup/template/reference strings per dump copy)")
    for name in ("nordic-pile", "mwparserfromhell strip_code"):
        print(f"{name:30} {wiki[name]['pages_per_s']:8.0f} pages/s {wiki[name]['leftovers']:6.0f} leftovers")
    print(
        f"\nLegacy encoding detection, {enc['documents']} Nordic/Finnish documents in cp1252, cp850, cp865 "
        "(share decoded right)"
    )
    for name, value in enc.items():
        if name != "documents":
            print(f"{name:40} {value:7.1%}")
    figures = {"html": html, "warc": warc, "tables": tables, "mediawiki": wiki, "encodings": enc, "quick": quick}
    print(json.dumps(figures, sort_keys=True, default=lambda x: round(x, 4) if isinstance(x, float) else x))
    return 0


if __name__ == "__main__":
    sys.exit(main())
