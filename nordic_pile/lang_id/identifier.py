"""The default language identifier: our Nordic fastText model first, lid.176 only for what it calls non-Nordic.

Stage 1 (`nordic-langid.ftz`, ours) separates the six Nordic languages and also has the classes `eng`, `fin` and
`other` (text in ~150 other languages). A text it puts in a Nordic class with at least `confirm_below`
probability is done: for Nordic input that is nearly every text, so the step runs at stage-1 speed. Everything
else (English, Finnish, other, or a weak Nordic guess) goes to stage 2, lid.176 (176 languages, no Faroese and
one Norwegian), which names the language; if lid.176 calls it Nordic after all, or is unsure (below `LID176_SURE`)
while stage 1 still gives the Nordic classes `NORDIC_MASS` or more, stage 1's best Nordic class is used, because
lid.176 cannot tell Bokmål from Nynorsk or Danish reliably and has no Faroese.

Between two Nordic classes, stage 1's average of word and n-gram vectors can miss one telling word among many
shared ones; when its top probability is below the model's `resolver.below`, a naive-Bayes vote over the words
(`word_evidence.py`, counts from the model's training texts) decides between its two best Nordic classes.

Scores: stage-1 decisions carry stage 1's top probability mapped through the isotonic calibration fitted on
held-out data (`nordic-langid.json`); stage-2 decisions carry lid.176's probability, or for a Nordic class the
Nordic evidence (stage 1's Nordic mass, or lid.176's probability if higher) times the calibrated probability of
that class among the Nordic ones.
"""

from __future__ import annotations

import json
import math
import os
from dataclasses import replace
from typing import NamedTuple

from nordic_pile.lang_id.calibration import LengthCalibration
from nordic_pile.lang_id.fasttext_model import FastTextModel
from nordic_pile.lang_id.text import normalize, word_count
from nordic_pile.lang_id.word_evidence import ResolverSpec, WordEvidence, evidence_path, resolve
from nordic_pile.languages import NORDIC, UNDETERMINED, to_iso639_3_any

MODELS_DIR = os.path.join(os.path.dirname(__file__), "models")
NORDIC_MODEL = os.path.join(MODELS_DIR, "nordic-langid.ftz")
LID176_MODEL = os.path.join(MODELS_DIR, "lid.176.ftz")
OTHER = "other"
"""Stage 1's class for text in a language it does not name; never an output label."""

_LID176_NORDIC = frozenset({"da", "no", "nn", "sv", "is", "fo"})
_NORDIC = frozenset(NORDIC)
_RESOLUTION = 1000  # calibration lookup table: probabilities in steps of 0.001
_MAX_BINNED_WORDS = 200  # longer texts all fall in the last length bin
LID176_SURE = 0.5
"""Below this probability lid.176's non-Nordic answer does not override stage 1's Nordic evidence..."""
NORDIC_MASS = 0.3
"""...when stage 1 gives the Nordic classes together at least this probability (e.g. `Handla nu!` between symbols)."""


class Prediction(NamedTuple):
    language: str  # ISO 639-3, `und` when the text has no letters
    score: float  # calibrated probability that `language` is right


UNDETERMINED_PREDICTION = Prediction(UNDETERMINED, 0.0)


def load_metadata(model_path: str) -> dict:
    """The JSON file written beside a model by `nordic-pile langid train` (labels, calibration, provenance)."""
    path = os.path.splitext(model_path)[0] + ".json"
    if not os.path.isfile(path):
        return {}
    with open(path, encoding="utf-8") as f:
        return json.load(f)


class NordicIdentifier:
    """Two-stage language ID: `identify(texts)` gives one `Prediction` per text, `und` for text without letters."""

    def __init__(
        self, model_path: str | None = None, lid176_path: str | None = None, confirm_below: float | None = None
    ):
        self.model_path = model_path or NORDIC_MODEL
        fix = "reinstall nordic-pile (the model ships inside it) or pass the path of a model from `langid train`"
        self.stage1 = FastTextModel(self.model_path, "nordic language-ID model", fix)
        self.stage2 = FastTextModel(
            lid176_path or LID176_MODEL,
            "lid.176 model",
            "reinstall nordic-pile (lid.176.ftz ships inside it) or pass its path",
        )
        self._confirm_below = confirm_below
        self._meta: dict | None = None
        self._calibration = LengthCalibration()
        self._accepted: dict[str, list[list[Prediction]]] = {}  # label -> length bin -> probability step
        self._bins: tuple[int, ...] = ()
        self._evidence: WordEvidence | None = None  # the word vote between close Nordic classes, if the model has one
        self._resolver = ResolverSpec(enabled=False)

    def __getstate__(self):
        return {**self.__dict__, "_meta": None, "_accepted": {}, "_bins": (), "_evidence": None}

    @property
    def meta(self) -> dict:
        """The model's metadata (labels, calibration, provenance); read once, on first use."""
        if self._meta is None:
            self._meta = load_metadata(self.model_path)
            self._calibration = calibration = LengthCalibration.from_dict(self._meta.get("calibration"))
            self._bins = tuple(calibration.bin(n) for n in range(_MAX_BINNED_WORDS + 1))
            tables = [m.table(_RESOLUTION) + [m(1.0)] for m in calibration.maps]  # fastText p reaches 1 + 1e-5
            self._accepted = {
                f"__label__{code}": [[Prediction(code, round(v, 4)) for v in t] for t in tables] for code in NORDIC
            }
            if self._confirm_below is None:
                self._confirm_below = float(self._meta.get("confirm_below", 0.5))
            resolver = self._meta.get("resolver") or {}
            if resolver.get("enabled"):
                self._resolver = ResolverSpec(**resolver)
                self._evidence = WordEvidence.load(evidence_path(self.model_path), self._resolver.alpha)
        return self._meta

    def check(self) -> None:
        """Raise the one-line ConfigError now if a model file is missing (steps call this before any work)."""
        self.stage1.check()
        self.stage2.check()

    def identify(self, texts: list[str]) -> list[Prediction]:
        if self._meta is None:
            self.meta  # noqa: B018 - loads calibration and confirm_below
        predict, accepted, confirm_below = self.stage1.predict_line, self._accepted, self._confirm_below
        bins, last = self._bins, self._bins[-1]
        evidence, resolver = self._evidence, self._resolver
        below, k = resolver.below, 2 if evidence is not None else 1
        out = [UNDETERMINED_PREDICTION] * len(texts)
        deferred: list[int] = []
        lines: list[str] = []
        for i, text in enumerate(texts):  # the hot loop: ~19 µs per sentence, 12 of them inside fastText
            line = normalize(text)
            if not line:  # no letters
                continue
            top = predict(line + "\n", k, 0.0, "strict")
            p, label = top[0] if evidence is None or top[0][0] >= below else resolve(top, line, evidence, resolver)
            scores = accepted.get(label)  # a Nordic label: its calibrated Predictions by length and probability
            if scores is not None and p >= confirm_below:
                words = word_count(line)
                out[i] = scores[bins[words] if words <= _MAX_BINNED_WORDS else last][int(p * _RESOLUTION)]
            else:
                deferred.append(i)
                lines.append(line)
        if deferred:
            self._stage2(lines, deferred, out)
        return out

    def _stage2(self, lines: list[str], deferred: list[int], out: list[Prediction]) -> None:
        labels, probs = self.stage1.predict(lines, k=-1)
        lid_labels, lid_probs = self.stage2.predict(lines, k=1)
        vote = replace(self._resolver, below=math.inf)  # here every two-way Nordic choice goes to the word vote
        rows = zip(deferred, lines, labels, probs, lid_labels, lid_probs, strict=True)
        for i, line, row, p, lid_row, lid_p in rows:
            code, lid_score = lid_row[0], float(lid_p[0])
            nordic = {label: float(q) for label, q in zip(row, p, strict=True) if label in _NORDIC}
            mass = sum(nordic.values())
            if code in _LID176_NORDIC or (lid_score < LID176_SURE and mass >= NORDIC_MASS):
                ranked = sorted(nordic, key=nordic.get, reverse=True)
                best, share = ranked[0], nordic[ranked[0]]
                if self._evidence is not None and len(ranked) > 1:  # the word vote, as in stage 1
                    top = [(nordic[label], "__label__" + label) for label in ranked[:2]]
                    share, label = resolve(top, line, self._evidence, vote)
                    best = label[9:]
                evidence = max(mass, lid_score) if code in _LID176_NORDIC else mass
                out[i] = Prediction(best, round(evidence * self._calibration(share / mass, word_count(line)), 4))
            else:
                out[i] = Prediction(to_iso639_3_any(code), round(lid_score, 4))
