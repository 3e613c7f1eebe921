"""Entity tag schemes (IO, IOB1, IOB2/BIO, BIOES) converted to IOB2 before strict span scoring.

IOB1 (Tjong Kim Sang & Veenstra 1999) opens an entity with I- and uses B- only between two adjacent entities of the
same type; IOB2 opens every entity with B-. Converting IOB1 to IOB2 turns each I-X that does not continue an X
entity into B-X, which is also how conlleval reads an IOB2 sequence with such an error. IO tags (`PER`, with `O`
or `0` outside) join adjacent tokens of one type into one entity.
"""

from __future__ import annotations

from collections.abc import Iterable

from nordic_pile.errors import InputError

SCHEMES = ("auto", "iob1", "bio", "io", "bioes")
OUTSIDE = ("O", "0")
_PREFIXES = {"B": "B", "I": "I", "E": "E", "S": "S", "L": "E", "U": "S"}  # BILOU spelled as BIOES


def split_tag(tag: str) -> tuple[str | None, str | None]:
    """('O', None) outside; (prefix, type) for `B-PER` / `I-GPE_LOC`; (None, type) for an IO tag `PER`."""
    if tag in OUTSIDE:
        return "O", None
    if len(tag) > 2 and tag[1] == "-" and tag[0] in _PREFIXES:
        return _PREFIXES[tag[0]], tag[2:]
    return None, tag


def detect_scheme(sequences: Iterable[list[str]], where: str = "") -> str:
    """`io`, `bioes`, `iob1` or `bio`; a mix of prefixed and bare tags is an error.

    IOB1: some entity opens with I- and B- never opens an entity after O or another type. A BIO file with a few
    I- openings (annotation slips) stays `bio`; both are converted the same way."""
    prefixed = bare = with_es = False
    i_opens = b_opens = False
    for tags in sequences:
        prev_type = None
        for tag in tags:
            prefix, type_ = split_tag(tag)
            if prefix is None:
                bare = True
            elif prefix != "O":
                prefixed = True
                with_es |= prefix in ("E", "S")
                i_opens |= prefix == "I" and prev_type != type_
                b_opens |= prefix == "B" and prev_type != type_
            prev_type = type_ if prefix not in ("O", "E", "S") else None
    if prefixed and bare:
        raise InputError(
            f"{where}: tags mix B-/I- prefixes and bare types (e.g. PER); convert the file to one "
            f"scheme or pass --scheme"
        )
    if bare:
        return "io"
    if with_es:
        return "bioes"
    return "iob1" if i_opens and not b_opens else "bio"


def to_iob2(tags: list[str], scheme: str) -> tuple[list[str], int]:
    """Tags in IOB2 and how many were changed. `O`/`0` become `O` in every scheme."""
    out: list[str] = []
    changed = 0
    prev_type: str | None = None  # type of the entity the previous token belongs to
    for tag in tags:
        prefix, type_ = split_tag(tag)
        if prefix == "O":
            new, prev_type = "O", None
        elif scheme == "io" or prefix is None:
            new = f"I-{type_}" if prev_type == type_ else f"B-{type_}"
            prev_type = type_
        elif prefix in ("B", "S"):
            new, prev_type = f"B-{type_}", type_
        else:  # I or E: continues an open entity of the same type, else opens one
            new = f"I-{type_}" if prev_type == type_ else f"B-{type_}"
            prev_type = type_
        if prefix in ("E", "S"):
            prev_type = None  # BIOES: the entity ends here
        if scheme == "io" and prefix not in ("O", None):
            raise InputError(f"tag {tag!r} has a prefix but --scheme io was given; use --scheme auto")
        changed += new != tag
        out.append(new)
    return out, changed


def entity_types(tags: Iterable[str]) -> set[str]:
    return {split_tag(t)[1] for t in tags if split_tag(t)[0] != "O"}


def iob2_labels(types: Iterable[str]) -> list[str]:
    """The label inventory of a tagger for these entity types: O first, then B-/I- per type, sorted."""
    return ["O"] + [f"{p}-{t}" for t in sorted(types) for p in ("B", "I")]
