"""Build the bundled sample corpus `data/sample/` from real text of permissive licence, with crawl defects added.

    python data/make_sample.py [--data ../shared/data] [--out data/sample] [--seed 13] [--check]

Reads `--data` (the project's shared data: see data/sample/README.md for every source and its licence) only here,
never at run time. The same data and seed give byte-identical files (gzip without timestamps, fixed WARC record
ids and dates, sorted inputs); `--check` rebuilds into a temporary folder and compares with `--out`.
"""

from __future__ import annotations

import argparse
import filecmp
import gzip
import io
import json
import random
import re
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

import zstandard

sys.path.insert(0, str(Path(__file__).parent))
import sample_defects as defects  # noqa: E402
import sample_wiki  # noqa: E402

ISO = {"nb": "nob", "nn": "nno", "sv": "swe", "da": "dan", "is": "isl", "fo": "fao", "en": "eng", "fi": "fin"}
GNOME_HELP = frozenset(
    "gnome-help system-admin-guide accerciser baobab cheese eog evolution file-roller four-in-a-row gnome-boxes "
    "gnome-calculator gnome-clocks gnome-dictionary gnome-logs gnome-mahjongg gnome-mines gnome-music gnome-nibbles "
    "gnome-photos gnome-robots gnome-sudoku gnome-system-monitor gnome-terminal gnome-tetravex hitori iagno "
    "lightsoff orca pitivi polari simple-scan totem".split()
)
"""The help documents (the name after the language in a `debian:gnome-help` id) whose Swedish, Danish and Finnish
pages state CC BY-SA 3.0 (polari CC BY-SA 4.0; gnome-terminal CC BY-SA 3.0 or GPL-3) and whose Debian copyright
file says nothing else, checked in the Debian 12 packages. Left out: zenity (GFDL), brasero, evince and seahorse
(help under GFDL in their Debian copyright files), gnome-chess (GPL-3+ or GFDL), swell-foop (GFDL in its Debian
copyright file), gedit and shotwell (no licence stated in their pages)."""

GNOME_RESERVED = 12
"""The last GNOME help (`gnome-help`) pages of each language are kept out of the simulated crawl: the Windows-1252
text file, the ISO-8859-1 page and the HTML pages of the WARC take theirs from these, so no page is in two files."""


# ---------------------------------------------------------------------------------------------------- reading
def read_jsonl_zst(path: Path) -> list[dict]:
    with open(path, "rb") as f:
        text = io.TextIOWrapper(zstandard.ZstdDecompressor().stream_reader(f), encoding="utf-8")
        return [json.loads(line) for line in text]


def docs(data: Path, lang: str, source: str) -> list[dict]:
    return sorted(
        (d for d in read_jsonl_zst(data / "docs" / f"docs_{lang}.jsonl.zst") if d["source"] == source),
        key=lambda d: d["id"],
    )


def in_cp1252(text: str) -> bool:
    try:
        text.encode("cp1252")
    except UnicodeEncodeError:
        return False
    return True


def gnome_help(data: Path, lang: str) -> tuple[list[dict], list[dict], list[dict]]:
    """GNOME help pages (CC BY-SA, see GNOME_HELP) of one language: (for the crawl, for HTML pages, for the
    Windows-1252 text file: the last six of the reserved pages that Windows-1252 can encode)."""
    pages = [d for d in docs(data, lang, "debian:gnome-help") if d["id"].split(":")[3].split("/")[0] in GNOME_HELP]
    reserved = [d for d in pages if d["id"].split(":")[3].startswith("gnome-help/")][-GNOME_RESERVED:]
    legacy = [d for d in reserved if in_cp1252(d["text"])][-6:]
    return [d for d in pages if d not in reserved], [d for d in reserved if d not in legacy], legacy


def ud_sentences(data: Path) -> dict[str, list[dict]]:
    """UD dev/test sentences (CC BY-SA 4.0) of langid/sentences.jsonl, per language, in treebank order."""
    out = defaultdict(list)
    with open(data / "langid" / "sentences.jsonl", encoding="utf-8") as f:
        for line in f:
            row = json.loads(line)
            if row["source"] == "ud":
                out[row["lang"]].append(row)
    return {lang: sorted(rows, key=lambda r: r["id"]) for lang, rows in sorted(out.items())}


def conllu_paragraphs(path: Path) -> list[list[str]]:
    """Sentences of a CoNLL-U file (`# text =`), grouped by `# newpar`."""
    paragraphs, current = [], []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("# newpar") and current:
            paragraphs.append(current)
            current = []
        elif line.startswith("# text = "):
            current.append(line[len("# text = ") :].strip())
    return paragraphs + ([current] if current else [])


def token_sentences(path: Path) -> list[str]:
    """Sentences of a token-per-line file (CoNLL), tokens joined by spaces: pre-tokenised text as NAK has it."""
    sentences, tokens = [], []
    for line in path.read_text(encoding="utf-8").splitlines() + [""]:
        if not line.strip():
            if tokens:
                sentences.append(" ".join(tokens))
            tokens = []
        else:
            tokens.append(re.split(r"\s+", line.strip())[0])
    return sentences


# ---------------------------------------------------------------------------------------------------- writing
def write_gzip(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, filename="") as f:
        f.write(data)


def jsonl_bytes(rows: list[dict]) -> bytes:
    return b"".join(json.dumps(r, ensure_ascii=False).encode() + b"\n" for r in rows)


def write_jsonl(path: Path, rows: list[dict]) -> None:
    data = jsonl_bytes(rows)
    if path.suffix == ".gz":
        write_gzip(path, data)
    elif path.suffix == ".zst":
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(zstandard.ZstdCompressor(level=19).compress(data))
    else:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)


def group(items: list, rng: random.Random, low: int, high: int) -> list[list]:
    out, i = [], 0
    while i < len(items):
        n = rng.randint(low, high)
        out.append(items[i : i + n])
        i += n
    return out


# ---------------------------------------------------------------------------------------------------- sources
def news(data: Path, out: Path, rng: random.Random) -> None:
    """UD sentences grouped into short documents (8 languages), NorNE's UD Bokmål/Nynorsk split by paragraph,
    and pre-tokenised Danish (DDT) and Swedish (Webbnyheter 2012) news sentences."""
    rows = []
    for lang, sentences in ud_sentences(data).items():
        for n, chunk in enumerate(group(sentences, rng, 4, 12)):
            rows.append(
                {
                    "id": f"ud-{lang}-{n}",
                    "text": " ".join(s["text"] for s in chunk),
                    "lang": lang,
                    "source": "ud",
                    "category": "news",
                }
            )
    for lang in ("nb", "nn"):
        paragraphs = conllu_paragraphs(data / "ner" / f"norne_{lang}_ud_test.conllu")[:400]
        for n, chunk in enumerate(group(paragraphs, rng, 3, 8)):
            rows.append(
                {
                    "id": f"ud-norwegian-{lang}-{n}",
                    "text": "\n\n".join(" ".join(p) for p in chunk),
                    "lang": lang,
                    "source": "ud_norwegian",
                    "category": "news",
                }
            )
    write_jsonl(out / "news" / "ud-treebanks.jsonl.gz", rows)
    tokenised = []
    for lang, path in (("da", "da_da_ddt-ud-ner-test.conll"), ("sv", "sv_webbnyheter2012_test_corpus.txt")):
        sentences = token_sentences(data / "ner" / path)[:1500]
        for n, chunk in enumerate(group(sentences, rng, 6, 14)):
            tokenised.append(
                {
                    "id": f"tok-{lang}-{n}",
                    "text": " ".join(chunk),
                    "lang": lang,
                    "source": "ddt" if lang == "da" else "webbnyheter2012",
                    "category": "news",
                }
            )
    write_jsonl(out / "news" / "pretokenised.jsonl.zst", tokenised)


def books(data: Path, out: Path, rng: random.Random) -> None:
    """Historical Icelandic (IcePaHC, CC BY 4.0: one whole text as a very long document, chunks of the others) and
    the Faroese New Testament translations of FarPaHC."""
    chunks = docs(data, "is", "icepahc")
    by_text = defaultdict(list)
    for d in chunks:
        by_text[d["id"].rsplit(":", 1)[0]].append(d)
    rows = []
    for text_id, parts in sorted(by_text.items()):
        parts.sort(key=lambda d: int(d["id"].rsplit(":", 1)[1]))
        if text_id == "icepahc:1150.homiliubok.rel-ser":  # 190k characters: a very long document
            rows.append({"id": text_id, "text": "\n\n".join(p["text"] for p in parts), "lang": "is"})
        else:
            rows += [{"id": p["id"], "text": p["text"], "lang": "is"} for p in rng.sample(parts, min(3, len(parts)))]
    for row in rows:
        row.update(source="icepahc", category="books")
    farpahc = [
        {"id": d["id"], "text": d["text"], "lang": "fo", "source": "farpahc", "category": "books"}
        for d in docs(data, "fo", "ud_faroese_farpahc")
    ]
    write_jsonl(out / "books" / "icepahc.jsonl.zst", rows)
    write_jsonl(out / "books" / "farpahc.jsonl.gz", farpahc)


def handbook(data: Path, out: Path) -> None:
    """The Debian Administrator's Handbook in Bokmål and Swedish (CC BY-SA 3.0) as Parquet, one chapter a row (the
    other Bokmål chapters are crawl pages, the last three Swedish ones text files)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    rows = []
    for lang in ("nb", "sv"):
        for d in docs(data, lang, "debian:debian-handbook")[: {"nb": 60, "sv": -3}[lang]]:  # sv[-3:]: text files
            page = d["id"].rsplit(":", 1)[1]
            rows.append(
                {
                    "id": d["id"],
                    "text": d["text"],
                    "lang": lang,
                    "source": "debian-handbook",
                    "category": "docs",
                    "url": f"https://debian-handbook.info/browse/{lang}/stable/{page}",
                }
            )
    (out / "docs").mkdir(parents=True, exist_ok=True)
    pq.write_table(
        pa.Table.from_pylist(rows), out / "docs" / "debian-handbook.parquet", compression="zstd", row_group_size=40
    )


def _crawl_sources(data: Path, rng: random.Random) -> list[tuple[str, str, str]]:
    """(language, text, site) of the pages of the simulated crawl, before defects."""
    pages = []
    for lang, n in (("sv", 875), ("da", 435), ("fi", 118)):
        pages += [(lang, d["text"], "help.gnome.org") for d in rng.sample(gnome_help(data, lang)[0], n)]
    pages += [(d["lang"], d["text"], "debian-handbook.info") for d in docs(data, "nb", "debian:debian-handbook")[60:]]
    for lang in ("nb", "nn"):
        norwegian = conllu_paragraphs(data / "ner" / f"norne_{lang}_ud_dev.conllu")[:300]
        pages += [
            (lang, "\n\n".join(" ".join(p) for p in chunk), "blogg.example.no")
            for chunk in group(norwegian, rng, 3, 6)
        ]
    with open(data / "langid" / "sentences.jsonl", encoding="utf-8") as f:
        rows = [json.loads(line) for line in f]
    icelandic = sorted((r for r in rows if r["source"] == "icepahc_modern"), key=lambda r: r["id"])
    pages += [
        ("is", " ".join(r["text"] for r in chunk), "frettir.example.is") for chunk in group(icelandic, rng, 6, 12)
    ]
    english = [r for r in ud_sentences(data)["en"]][200:]
    pages += [("en", " ".join(r["text"] for r in chunk), "forum.example.com") for chunk in group(english, rng, 5, 10)]
    pages += [("de", text, "gesetze.example.de") for text in defects.GERMAN]
    return pages


def _defective(lang3: str, text: str, rng: random.Random) -> tuple[str, str | None]:
    """The page text with at most one crawl defect (and often boilerplate); returns (text, defect name)."""
    defect = None
    roll = rng.random()
    if roll < 0.04:
        text, defect = defects.mojibake(text), "mojibake"
    elif roll < 0.09:
        text, defect = defects.messy(text, rng), "messy_whitespace"
    elif roll < 0.12:
        text, defect = defects.decomposed(text), "nfd"
    elif roll < 0.16 and lang3 in ("swe", "dan", "nob", "isl"):
        paragraphs = text.split("\n\n")
        paragraphs.insert(rng.randrange(1, len(paragraphs) + 1), defects.pii_sentence(lang3, rng))
        text, defect = "\n\n".join(paragraphs), "pii"
    if rng.random() < 0.45:
        text = defects.with_boilerplate(text, lang3, rng)
    return text, defect


def crawl(data: Path, out: Path, rng: random.Random) -> dict[str, int]:
    """A simulated web crawl (JSONL, no language labels, as crawls come): real documentation pages and posts
    with boilerplate, duplicates, near duplicates, mojibake, control characters, NFD text, planted PII, junk,
    very short pages, other languages, and a few lines no JSON reader can take."""
    rows, counts = [], defaultdict(int)
    for n, (lang, text, site) in enumerate(_crawl_sources(data, rng)):
        lang3 = ISO.get(lang, "deu")
        text, defect = _defective(lang3, text, rng)
        counts[defect or "clean"] += 1
        rows.append({"id": f"crawl-{n:05d}", "url": f"https://{site}/{lang}/{n}.html", "text": text})
    for n, original in enumerate(rng.sample(rows, 80)):
        rows.append(
            {"id": f"crawl-dup-{n:03d}", "url": original["url"] + "?utm_source=feed", "text": original["text"]}
        )
        counts["exact_duplicate"] += 1
    for n, original in enumerate(rng.sample(rows[:-80], 80)):
        rows.append(
            {
                "id": f"crawl-near-{n:03d}",
                "url": original["url"].replace(".html", "-v2.html"),
                "text": defects.near_duplicate(original["text"], rng),
            }
        )
        counts["near_duplicate"] += 1
    for n, text in enumerate(defects.JUNK + defects.SHORT):
        rows.append({"id": f"crawl-junk-{n:03d}", "url": f"https://spam.example.com/{n}", "text": text})
        counts["junk" if n < len(defects.JUNK) else "very_short"] += 1
    rng.shuffle(rows)
    for row in rows:
        row.update(source="crawl-2024", category="web")
    half = len(rows) // 2
    broken = [
        b'{"id": "crawl-broken-1", "url": "https://example.com/cut", "text": "Sidan avbr\xc3\xb6ts mitt i\n',
        b'{"id": "crawl-broken-2", "url": "https://example.com/empty"}\n',
        b'["crawl-broken-3", "ett JSON-f\xc3\xa4lt, inte ett objekt"]\n',
        b'{"id": "crawl-latin1", "text": "R\xe4ksm\xf6rg\xe5s med r\xe4kor, \xe4gg och majonn\xe4s."}\n',
    ]
    first = jsonl_bytes(rows[: half // 2]) + broken[0] + broken[1] + jsonl_bytes(rows[half // 2 : half])
    write_gzip(out / "web" / "crawl-2024-part1.jsonl.gz", first + broken[2] + broken[3])
    write_jsonl(out / "web" / "crawl-2024-part2.jsonl.zst", rows[half:])
    counts["unreadable_lines"] = len(broken)
    return dict(counts)


def text_files(data: Path, out: Path) -> None:
    """Plain text: Swedish handbook chapters (UTF-8, one gzipped) and Danish GNOME help in Windows-1252."""
    sv = docs(data, "sv", "debian:debian-handbook")
    folder = out / "text"
    folder.mkdir(parents=True, exist_ok=True)
    for d in sv[-3:-1]:
        (folder / f"handbok-{d['id'].rsplit(':', 1)[1].removesuffix('.html')}.txt").write_text(
            d["text"] + "\n", encoding="utf-8"
        )
    write_gzip(
        folder / f"handbok-{sv[-1]['id'].rsplit(':', 1)[1].removesuffix('.html')}.txt.gz",
        (sv[-1]["text"] + "\n").encode(),
    )
    da = gnome_help(data, "da")[2]
    legacy = "\r\n\r\n".join(d["text"].replace("\n", "\r\n") for d in da) + "\r\n"
    (folder / "gnome-hjaelp-windows-1252.txt").write_bytes(legacy.encode("cp1252"))


def build(data: Path, out: Path, seed: int) -> dict:
    import sample_web

    if out.exists():
        for path in sorted(out.rglob("*"), reverse=True):
            if path.name != "README.md" and path.is_file():
                path.unlink()
            elif path.is_dir() and not any(path.iterdir()):
                path.rmdir()
    out.mkdir(parents=True, exist_ok=True)
    news(data, out, random.Random(seed))
    books(data, out, random.Random(seed + 1))
    handbook(data, out)
    counts = crawl(data, out, random.Random(seed + 2))
    text_files(data, out)
    sample_web.pages_and_archive(data, out, random.Random(seed + 3))
    sample_wiki.dump(data, out, random.Random(seed + 4))
    return counts


def _files(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file() and p.name != "README.md")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    here = Path(__file__).resolve().parent
    shared = [here.parent.parent / "shared" / "data", here.parent.parent.parent / "shared" / "data"]  # clone, worktree
    parser.add_argument(
        "--data",
        type=Path,
        default=next((p for p in shared if p.is_dir()), shared[0]),
        help="the shared data folder (default: ../shared/data beside the repository)",
    )
    parser.add_argument("--out", type=Path, default=here / "sample")
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--check", action="store_true", help="rebuild into a temporary folder and compare")
    args = parser.parse_args()
    if not (args.data / "docs").is_dir():
        parser.error(f"--data {args.data}: not the shared data folder (no docs/ in it)")
    if args.check:
        with tempfile.TemporaryDirectory() as tmp:
            build(args.data, Path(tmp), args.seed)
            names = _files(Path(tmp))
            same = names == _files(args.out) and all(
                filecmp.cmp(Path(tmp) / n, args.out / n, shallow=False) for n in names
            )
        print(
            f"{'identical' if same else 'DIFFERENT'}: {len(names)} files rebuilt from {args.data} with seed "
            f"{args.seed}"
        )
        return 0 if same else 1
    counts = build(args.data, args.out, args.seed)
    size = sum(p.stat().st_size for p in args.out.rglob("*") if p.is_file())
    print(f"wrote {len(_files(args.out))} files, {size / 1e6:.2f} MB, to {args.out}; crawl defects: {counts}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
