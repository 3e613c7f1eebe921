"""Labelled text for training and evaluating language ID: JSONL, CSV, CoNLL-U, CoNLL, gettext catalogs and
word-frequency lists.

Every reader yields `Unit(language, text, group)`. `group` keeps related text together when a corpus is split
into training and held-out parts: a document, a run of 20 consecutive sentences of a treebank, or a catalog. It
names the file but not its folder, so the split does not depend on where the data lives.
"""

from __future__ import annotations

import csv
import glob
import gzip
import io
import itertools
import os
import random
import re
import struct
from collections.abc import Iterator
from dataclasses import dataclass

import orjson

from nordic_pile.errors import InputError
from nordic_pile.languages import to_iso639_3_any
from nordic_pile.readers.base import TRUNCATION_ERRORS
from nordic_pile.readers.compressed import CheckedZstdReader

FORMATS = ("jsonl", "csv", "conllu", "conll", "gettext", "wordfreq", "hunspell")
SENTENCES_PER_GROUP = 20
SAMPLES_PER_WORDLIST = 50_000
"""Word samples a frequency list yields; a source's `max_per_source` takes the first N of them by hash."""
SAMPLE_WORDS = (3, 16)


@dataclass(frozen=True, slots=True)
class Unit:
    language: str  # ISO 639-3, or `other`
    text: str
    group: str
    source: str = ""


def infer_format(path: str) -> str:
    name = path.lower().removesuffix(".gz").removesuffix(".zst")
    for ext, fmt in (
        (".jsonl", "jsonl"),
        (".json", "jsonl"),
        (".csv", "csv"),
        (".conllu", "conllu"),
        (".conll", "conll"),
        (".bio", "conll"),
        (".mo", "gettext"),
        (".msgpack", "wordfreq"),
        (".dic", "hunspell"),
    ):
        if name.endswith(ext):
            return fmt
    raise InputError(f"{path}: cannot tell the format from the name; give format: " + "|".join(FORMATS))


def open_binary(path: str) -> io.BufferedIOBase:
    """Open a plain, .gz or .zst file for reading bytes; reading a truncated one raises EOFError at the cut."""
    try:
        raw = open(path, "rb")
    except OSError as e:
        raise InputError(f"{path}: {e.strerror}") from None
    if path.endswith(".gz"):
        return io.BufferedReader(gzip.GzipFile(fileobj=raw))
    if path.endswith(".zst"):
        return io.BufferedReader(CheckedZstdReader(raw))  # a cut-off .zst raises EOFError, as .gz does
    return raw


def open_text(path: str) -> io.TextIOBase:
    """Open a plain, .gz or .zst text file as UTF-8 text."""
    return io.TextIOWrapper(open_binary(path), encoding="utf-8", newline="")


def _label(value, path: str, where: str) -> str:
    if not isinstance(value, str) or not value:
        raise InputError(f"{path}:{where}: no language label (a `lang` or `language` field)")
    return value if value == "other" else to_iso639_3_any(value)


def json_records(path: str) -> Iterator[tuple[int, dict]]:
    """(line number, object) for every non-blank line of a JSONL file; a bad line is an InputError naming it."""
    number = 0
    with open_binary(path) as f:
        lines = iter(f)
        while True:
            try:
                line = next(lines, None)
            except TRUNCATION_ERRORS as e:
                raise InputError(
                    f"{path}:{number + 1}: cannot be decompressed past line {number} ({e}); is it truncated?"
                ) from None
            if line is None:
                return
            number += 1
            if not line.strip():
                continue
            try:
                record = orjson.loads(line)  # also rejects invalid UTF-8
            except orjson.JSONDecodeError as e:
                raise InputError(f"{path}:{number}: not JSON ({e}); fix or remove the line") from None
            if not isinstance(record, dict):
                raise InputError(f"{path}:{number}: a record must be a JSON object")
            yield number, record


def read_jsonl(path: str, language: str | None = None) -> Iterator[Unit]:
    """Records with `text` and `lang`/`language` (unless `language` is given); `id` and `source` are used if there."""
    for number, record in json_records(path):
        text = record.get("text")
        if not isinstance(text, str):
            raise InputError(f"{path}:{number}: no `text` string")
        label = language or _label(record.get("lang") or record.get("language"), path, str(number))
        group = str(record.get("id", number))
        yield Unit(label, text, f"{os.path.basename(path)}:{group}", str(record.get("source", "")))


def read_csv(path: str, language: str | None = None) -> Iterator[Unit]:
    """`language,sentence` rows (NordicDSL's layout); `text` is accepted for `sentence`."""
    with open_text(path) as f:
        reader = csv.DictReader(f)
        if not reader.fieldnames or not ({"sentence", "text"} & set(reader.fieldnames)):
            raise InputError(f"{path}: a CSV needs a header with `language` and `sentence` (or `text`) columns")
        for number, row in enumerate(reader, 2):
            text = row.get("sentence") if row.get("sentence") is not None else row.get("text")
            label = language or _label(row.get("language") or row.get("lang"), path, str(number))
            yield Unit(label, (text or "").strip(), f"{os.path.basename(path)}:{number // SENTENCES_PER_GROUP}")


def read_conllu(path: str, language: str | None = None) -> Iterator[Unit]:
    """The `# text = ...` line of every sentence of a CoNLL-U treebank."""
    if language is None:
        raise InputError(f"{path}: a CoNLL-U source needs `language`")
    n = 0
    with open_text(path) as f:
        for line in f:
            if line.startswith("# text = "):
                yield Unit(language, line[9:].strip(), f"{os.path.basename(path)}:{n // SENTENCES_PER_GROUP}")
                n += 1


_NO_SPACE_BEFORE = re.compile(r" +([,.;:!?%)\]}»”’]|\.\.\.)")
_NO_SPACE_AFTER = re.compile(r"([(\[{«„“]) +")


def detokenize(tokens: list[str]) -> str:
    """Tokens joined into text: no space before closing punctuation or after opening brackets and quotes; ASCII
    double quotes alternate between opening and closing."""
    words, quote_open = [], False
    for token in tokens:
        if token == '"':
            quote_open = not quote_open
            token = "\x01" if quote_open else "\x02"
        words.append(token)
    text = _NO_SPACE_AFTER.sub(r"\1", _NO_SPACE_BEFORE.sub(r"\1", " ".join(words)))
    return text.replace("\x01 ", '"').replace(" \x02", '"').replace("\x01", '"').replace("\x02", '"')


def read_conll(path: str, language: str | None = None) -> Iterator[Unit]:
    """One token per line (first column), sentences separated by blank lines; tokens are joined back into text.

    A `# doc = NAME` comment (NorNE's layout) starts a document: groups are then runs of 20 sentences within it.
    """
    if language is None:
        raise InputError(f"{path}: a CoNLL source needs `language`")
    name = os.path.basename(path)
    tokens: list[str] = []
    doc, n = "", 0
    with open_text(path) as f:
        for line in [*f, "\n"]:
            fields = line.split()
            if fields and not line.startswith("# "):
                tokens.append(fields[0])
                continue
            if tokens:
                yield Unit(language, detokenize(tokens), f"{name}:{doc}{n // SENTENCES_PER_GROUP}")
                n += 1
                tokens = []
            if line.startswith("# doc = ") and line[8:].strip() + ":" != doc:
                doc, n = line[8:].strip() + ":", 0


def _mo_entries(data: bytes) -> Iterator[tuple[bytes, bytes]]:
    """(msgid, msgstr) byte strings of a compiled gettext catalog (the GNU `.mo` layout)."""
    magic = data[:4]
    order = "<" if magic == b"\xde\x12\x04\x95" else ">" if magic == b"\x95\x04\x12\xde" else None
    if order is None or len(data) < 20:
        return
    _, count, originals, translations = struct.unpack(order + "4I", data[4:20])
    for i in range(count):
        olen, ooff = struct.unpack(order + "2I", data[originals + 8 * i : originals + 8 * i + 8])
        tlen, toff = struct.unpack(order + "2I", data[translations + 8 * i : translations + 8 * i + 8])
        yield data[ooff : ooff + olen], data[toff : toff + tlen]


def read_gettext(path: str, language: str | None = None) -> Iterator[Unit]:
    """The translated strings of a compiled gettext catalog (`.mo`, UTF-8); the locale comes from the path."""
    locale = path.split(os.sep + "LC_MESSAGES")[0].rsplit(os.sep, 1)[-1]
    base = locale.split("_")[0].split("@")[0].split(".")[0]
    with open(path, "rb") as f:
        data = f.read()
    try:
        entries = list(_mo_entries(data))
    except struct.error:  # truncated catalog
        return
    for msgid, msgstr in sorted(entries):
        if not msgid:  # the catalog's header
            continue
        originals = set(msgid.split(b"\x04")[-1].split(b"\x00"))
        for form in dict.fromkeys(msgstr.split(b"\x00")):
            if form and form not in originals:
                text = form.decode("utf-8", errors="replace")
                if "\ufffd" not in text:
                    yield Unit(language or to_iso639_3_any(base), text, f"{locale}/{os.path.basename(path)}", base)


def read_wordfreq(path: str, language: str | None = None) -> Iterator[Unit]:
    """Word samples of a wordfreq frequency list (`small_da.msgpack.gz`: msgpack of a header and bins, bin i
    holding the words of frequency 10^(-i/100)): SAMPLES_PER_WORDLIST lines of 3-15 words, each drawn with its
    frequency, from a generator seeded by the file's name (the same list gives the same samples anywhere).

    A bag-of-words classifier sees a sentence as its words, so samples drawn with the frequencies of a broad
    corpus (wordfreq counts Wikipedia, subtitles, news, web text and social media) teach it which words a
    language uses, where the labelled sentences of a treebank cover few of them."""
    import msgpack

    name = os.path.basename(path)
    code = name.split(".")[0].rsplit("_", 1)[-1]
    with open_binary(path) as f:
        try:
            bins = msgpack.unpackb(f.read(), raw=False)
        except (ValueError, msgpack.UnpackException) as e:
            raise InputError(f"{path}: not a wordfreq list ({type(e).__name__}: msgpack cannot read it)") from None
    if not (isinstance(bins, list) and bins and isinstance(bins[0], dict) and bins[0].get("format") == "cB"):
        raise InputError(f"{path}: not a wordfreq list (no cB header)")
    words, weights = [], []
    for index, words_in_bin in enumerate(bins[1:]):
        for word in words_in_bin:
            if isinstance(word, str) and word.isalpha():  # no digits, punctuation or apostrophes: whole words only
                words.append(word)
                weights.append(10 ** (-index / 100))
    if not words:
        raise InputError(f"{path}: the list has no words")
    cumulative = list(itertools.accumulate(weights))
    label = language or to_iso639_3_any(code)
    for n, text in enumerate(_word_samples(words, name, cumulative)):
        yield Unit(label, text, f"{name}:{n // SENTENCES_PER_GROUP}", f"wordfreq:{code}")


def _word_samples(words: list[str], seed: str, cum_weights: list[float] | None = None) -> Iterator[str]:
    rng = random.Random(seed)
    for _ in range(SAMPLES_PER_WORDLIST):
        yield " ".join(rng.choices(words, cum_weights=cum_weights, k=rng.randrange(*SAMPLE_WORDS)))


def read_hunspell(path: str, language: str | None = None) -> Iterator[Unit]:
    """Word samples of a Hunspell dictionary (`.dic`: a count line, then `stem[/flags][ morphology]`):
    SAMPLES_PER_WORDLIST lines of 3-15 stems drawn uniformly from the lower-case, letters-only stems (names and
    abbreviations left out), from a generator seeded by the label and the file's name.

    A spelling dictionary has no frequencies; it lists the vocabulary of a language, including the Nynorsk and
    Faroese word forms no frequency list covers."""
    if language is None:
        raise InputError(f"{path}: a hunspell source needs `language`")
    words = []
    with open_text(path) as f:
        for number, line in enumerate(f):
            stem = line.split("/", 1)[0].split(None, 1)[0] if line.strip() else ""
            if number and stem.isalpha() and stem.islower():
                words.append(stem)
    if not words:
        raise InputError(f"{path}: no lower-case stems (is it a Hunspell .dic file?)")
    name = os.path.basename(path)
    for n, text in enumerate(_word_samples(sorted(set(words)), f"{language}:{name}")):
        yield Unit(language, text, f"{language}:{name}:{n // SENTENCES_PER_GROUP}", f"hunspell:{language}")


READERS = {
    "jsonl": read_jsonl,
    "csv": read_csv,
    "conllu": read_conllu,
    "conll": read_conll,
    "gettext": read_gettext,
    "wordfreq": read_wordfreq,
    "hunspell": read_hunspell,
}


def expand(pattern: str) -> list[str]:
    """The sorted files a path or glob pattern names; an InputError if there are none."""
    files = sorted(glob.glob(pattern, recursive=True)) if glob.has_magic(pattern) else [pattern]
    files = [f for f in files if os.path.isfile(f)]
    if not files:
        raise InputError(f"{pattern}: no such file")
    return files


def read_units(path: str, fmt: str | None = None, language: str | None = None) -> Iterator[Unit]:
    """Units of every file `path` (a file or glob pattern) names, in sorted file order."""
    for file in expand(path):
        try:
            yield from READERS[fmt or infer_format(file)](file, language)
        except UnicodeDecodeError as e:
            raise InputError(
                f"{file}: invalid UTF-8 ({e.reason} at byte {e.start} of a block); fix the file"
            ) from None
        except TRUNCATION_ERRORS as e:  # not gzip/zstd after all, or cut off
            raise InputError(f"{file}: cannot be decompressed ({e}); is it truncated or misnamed?") from None
