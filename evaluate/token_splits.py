"""Train/dev/test splits for token tagging: read, convert entity tags to IOB2, map labels, check the label sets."""

from __future__ import annotations

from dataclasses import dataclass, field

from nordic_pile.errors import ConfigError
from nordic_pile.evaluate.conll import read_tagged
from nordic_pile.evaluate.report import file_sha256
from nordic_pile.evaluate.tagging import SCHEMES, detect_scheme, entity_types, iob2_labels, split_tag, to_iob2


@dataclass(slots=True)
class Split:
    words: list[list[str]] = field(default_factory=list)
    tags: list[list[str]] = field(default_factory=list)
    where: list[tuple[str, int]] = field(default_factory=list)  # (file, line) of each sentence
    info: list[dict] = field(default_factory=list)  # per file: path, sha256, format, scheme, counts

    @property
    def n_words(self) -> int:
        return sum(map(len, self.words))


def parse_label_map(items: list[str] | None) -> dict[str, str]:
    """`FROM=TO` pairs (entity types for NER, tags for POS); `TO` = O drops the type."""
    mapping = {}
    for item in items or []:
        source, sep, target = item.partition("=")
        if not sep or not source or not target:
            raise ConfigError(f"--label-map {item!r}: write FROM=TO, e.g. GPE_LOC=LOC or MISC=O")
        mapping[source] = target
    return mapping


def _map_entity(tag: str, mapping: dict[str, str]) -> str:
    prefix, type_ = split_tag(tag)
    if prefix == "O" or type_ not in mapping:
        return tag
    target = mapping[type_]
    return "O" if target in ("O", "0") else f"{prefix}-{target}"


def read_split(
    paths: list[str],
    task: str,
    *,
    scheme: str = "auto",
    fmt: str = "auto",
    misc_key: str = "name",
    pos_column: str = "upos",
    label_map: dict[str, str] | None = None,
    skip_malformed: bool = False,
) -> Split:
    if scheme not in SCHEMES:
        raise ConfigError(f"--scheme {scheme}: use one of {', '.join(SCHEMES)}")
    split = Split()
    mapping = label_map or {}
    for path in paths:
        tagged = read_tagged(path, task, fmt, misc_key, pos_column, skip_malformed)
        info = {
            "path": path,
            "sha256": file_sha256(path),
            "format": tagged.format,
            "sentences": len(tagged.sentences),
            "words": sum(len(s.words) for s in tagged.sentences),
        }
        if tagged.skipped_lines:
            info["skipped_malformed_lines"] = tagged.skipped_lines
        if task == "ner":
            used = detect_scheme((s.tags for s in tagged.sentences), path) if scheme == "auto" else scheme
            converted = 0
            for sentence in tagged.sentences:
                iob2, changed = to_iob2(sentence.tags, used)
                converted += changed
                mapped = [_map_entity(t, mapping) for t in iob2]
                split.tags.append(to_iob2(mapped, "bio")[0])  # a type mapped to O can leave an I- opening
            info |= {"scheme": used, "tags_changed_to_iob2": converted}
        else:
            split.tags += [[mapping.get(t, t) for t in s.tags] for s in tagged.sentences]
        split.words += [s.words for s in tagged.sentences]
        split.where += [(path, s.line) for s in tagged.sentences]
        split.info.append(info)
    return split


def label_inventory(task: str, train: Split) -> list[str]:
    if task == "ner":
        return iob2_labels(entity_types(t for tags in train.tags for t in tags))
    return sorted({t for tags in train.tags for t in tags})


def check_labels(labels: list[str], split: Split, name: str, allow_unseen: bool) -> list[str]:
    """Labels of `split` missing from `labels`: an error naming the first place, or (allowed) added to the end."""
    known = set(labels)
    unseen: dict[str, tuple[str, int]] = {}
    for tags, where in zip(split.tags, split.where, strict=True):
        for tag in tags:
            if tag not in known and tag not in unseen:
                unseen[tag] = where
    if unseen and not allow_unseen:
        first, (path, line) = next(iter(unseen.items()))
        raise ConfigError(
            f"label set mismatch: --{name} has {len(unseen)} label(s) the training data lacks "
            f"({', '.join(sorted(unseen)[:8])}; first {first!r} in the sentence at {path}:{line}); "
            f"train on data with every label, map them with --label-map, or pass "
            f"--allow-unseen-labels to score them as never predicted"
        )
    return labels + sorted(unseen)
