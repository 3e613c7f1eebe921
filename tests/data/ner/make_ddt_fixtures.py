"""Build the Danish NER/POS test fixtures in the two layouts the readers must handle, from DDT sentences.

    python tests/data/ner/make_ddt_fixtures.py [--data ../shared/data]       # rewrites the four files below
    python tests/data/ner/make_ddt_fixtures.py --check                        # rebuild in memory and compare
    python tests/data/ner/make_ddt_fixtures.py --ud da_ddt-ud-dev.conllu      # rewrite ddt_dev_upos.tsv from UD

Sources (both CC BY-SA 4.0, both over the Danish Dependency Treebank as released in Universal Dependencies):
- the words and entity tags (PER, LOC, ORG, MISC; BIO) of Plank's DDT NER release, `ner/da_da_ddt-ud-ner-*.conll`
  in the shared data folder (`--data`);
- `ddt_dev_upos.tsv` beside this script: the gold UPOS tags of the first 120 sentences of UD_Danish-DDT
  `da_ddt-ud-dev.conllu` (the same sentences in the same order as the NER dev file), one sentence a line:
  `dev-N<TAB>UPOS UPOS ...`. `--ud FILE` rewrites it from a UD_Danish-DDT dev file, checking every word.

Written here (the layouts of NorNE, Jørgensen et al. 2020, whose text we do not copy):
- `da_ddt_train.bio`: the 604 sentences of `da_da_ddt-ud-ner-train-10k.conll` in NorNE's `.bio` layout: each
  sentence after a `# doc = ...` comment line (the NER release keeps no document ids, so the id names the file),
  then `WORD<TAB>TAG` lines.
- `da_ddt_pos_train.conllu` (dev sentences 0-39), `da_ddt_dev.conllu` (40-69), `da_ddt_test.conllu` (70-119):
  CoNLL-U with the UPOS column and the entity tag in MISC as NorNE writes it (`name=B-PER`); LEMMA, XPOS, FEATS,
  HEAD, DEPREL and DEPS are `_`; `# text` is the words joined by spaces (the NER release keeps no spacing).
Deterministic: the same inputs give the same bytes.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
UPOS_FILE = HERE / "ddt_dev_upos.tsv"
UPOS_HEADER = (
    "# Gold UPOS of UD_Danish-DDT da_ddt-ud-dev.conllu, sentences dev-0 to dev-119 (CC BY-SA 4.0); one sentence a\n"
    "# line, tags in word order. Read by make_ddt_fixtures.py, which checks the counts against the DDT NER words.\n"
)
TRAIN_SOURCE = "da_da_ddt-ud-ner-train-10k.conll"
DEV_SOURCE = "da_da_ddt-ud-ner-dev.conll"
CONLLU_SLICES = {  # file -> (first, last + 1) sentence of the DDT dev split
    "da_ddt_pos_train.conllu": (0, 40),
    "da_ddt_dev.conllu": (40, 70),
    "da_ddt_test.conllu": (70, 120),
}
UPOS_TAGS = set("ADJ ADP ADV AUX CCONJ DET INTJ NOUN NUM PART PRON PROPN PUNCT SCONJ SYM VERB X".split())

Sentence = list[tuple[str, str]]  # (word, tag)


def read_columns(path: Path) -> list[Sentence]:
    """Sentences of a `WORD<TAB>TAG` file; blank or whitespace-only lines end a sentence."""
    sentences: list[Sentence] = []
    current: Sentence = []
    for number, line in enumerate(path.read_text(encoding="utf-8").split("\n"), 1):
        if not line.strip():
            if current:
                sentences.append(current)
            current = []
            continue
        fields = line.split("\t")
        if len(fields) != 2 or not fields[0] or not fields[1]:
            raise SystemExit(f"{path}:{number}: expected WORD<TAB>TAG, got {line!r}")
        current.append((fields[0], fields[1]))
    if current:
        sentences.append(current)
    return sentences


def read_upos(path: Path = UPOS_FILE) -> dict[str, list[str]]:
    rows = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line or line.startswith("#"):
            continue
        sent_id, _, tags = line.partition("\t")
        rows[sent_id] = tags.split(" ")
        if not set(rows[sent_id]) <= UPOS_TAGS:
            raise SystemExit(f"{path}:{number}: not UPOS: {sorted(set(rows[sent_id]) - UPOS_TAGS)}")
    return rows


def bio_text(sentences: list[Sentence], doc: str) -> str:
    return "".join(f"# doc = {doc}\n" + "".join(f"{w}\t{t}\n" for w, t in s) + "\n" for s in sentences)


def conllu_text(sentences: list[Sentence], first: int, upos: dict[str, list[str]]) -> str:
    out = []
    for n, sentence in enumerate(sentences, first):
        sent_id = f"dev-{n}"
        tags = upos.get(sent_id)
        if tags is None or len(tags) != len(sentence):
            raise SystemExit(
                f"{UPOS_FILE.name}: {sent_id} has {len(tags or [])} UPOS tags for {len(sentence)} words; "
                "rewrite it with --ud"
            )
        out.append(f"# sent_id = {sent_id}\n# text = {' '.join(w for w, _ in sentence)}\n")
        for i, ((word, tag), pos) in enumerate(zip(sentence, tags, strict=True), 1):
            out.append(f"{i}\t{word}\t_\t{pos}\t_\t_\t_\t_\t_\tname={tag}\n")
        out.append("\n")
    return "".join(out)


def iob1(tags: list[str]) -> list[str]:
    """IOB2 tags in IOB1: an entity opens with I- unless it directly follows an entity of the same type."""
    out, prev = [], None
    for tag in tags:
        kind = tag[2:] if tag != "O" else None
        out.append("O" if kind is None else f"{'B' if tag[0] == 'B' and prev == kind else 'I'}-{kind}")
        prev = kind
    return out


def build(data: Path) -> dict[str, str]:
    """File name -> content of every fixture this script writes."""
    ner = data / "ner"
    files = {"da_ddt_train.bio": bio_text(read_columns(ner / TRAIN_SOURCE), "ddt-train-10k")}
    dev, upos = read_columns(ner / DEV_SOURCE), read_upos()
    for name, (start, stop) in CONLLU_SLICES.items():
        files[name] = conllu_text(dev[start:stop], start, upos)
    return files


def upos_from_ud(ud: Path, data: Path) -> str:
    """`ddt_dev_upos.tsv` from a UD_Danish-DDT dev CoNLL-U file, every word checked against the DDT NER dev file."""
    dev = read_columns(data / "ner" / DEV_SOURCE)
    wanted = max(stop for _, stop in CONLLU_SLICES.values())
    lines, words, tags = [UPOS_HEADER], [], []
    for line in [*ud.read_text(encoding="utf-8").split("\n"), ""]:
        cols = line.split("\t")
        if len(cols) == 10 and cols[0].isdigit():
            words.append(cols[1])
            tags.append(cols[3])
        elif not line.strip() and words:
            n = len(lines) - 1
            if words != [w for w, _ in dev[n]]:
                raise SystemExit(f"{ud}: sentence {n} does not have the words of {DEV_SOURCE} sentence {n}")
            lines.append(f"dev-{n}\t{' '.join(tags)}\n")
            words, tags = [], []
            if n + 1 == wanted:
                break
    return "".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    root = HERE.parents[2]
    shared = [root.parent / "shared" / "data", root.parent.parent / "shared" / "data"]  # clone, worktree
    parser.add_argument("--data", type=Path, default=next((p for p in shared if p.is_dir()), shared[0]))
    parser.add_argument("--check", action="store_true", help="rebuild in memory and compare with the files here")
    parser.add_argument("--ud", type=Path, help="UD_Danish-DDT da_ddt-ud-dev.conllu: rewrite ddt_dev_upos.tsv")
    args = parser.parse_args()
    if not (args.data / "ner" / DEV_SOURCE).is_file():
        parser.error(f"--data {args.data}: no ner/{DEV_SOURCE} in it (give the shared data folder)")
    if args.ud:
        UPOS_FILE.write_text(upos_from_ud(args.ud, args.data), encoding="utf-8")
    files = build(args.data)
    if args.check:
        different = [n for n, text in files.items() if (HERE / n).read_text(encoding="utf-8") != text]
        print(f"{'DIFFERENT: ' + ', '.join(different) if different else 'identical'}: {len(files)} files")
        return 1 if different else 0
    for name, text in files.items():
        (HERE / name).write_text(text, encoding="utf-8")
        print(f"wrote {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
