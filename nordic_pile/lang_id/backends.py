"""Language-ID backends behind one interface: `identify(texts) -> list[Prediction]` with ISO 639-3 labels.

`nordic` (default) is our two-stage identifier; `lid176` is fastText's lid.176 alone (ships with nordic-pile);
`glotlid` and `openlid` are fastText models you download once; `lingua`, `pycld2` and `langid` are Python
packages. A backend whose model file or package is missing fails when it is created (before a step does any
work) with one line saying where to put the file or what to install; models load on first use.
"""

from __future__ import annotations

import importlib.util
import os

from nordic_pile.errors import ConfigError
from nordic_pile.lang_id.fasttext_model import FastTextModel
from nordic_pile.lang_id.identifier import LID176_MODEL, UNDETERMINED_PREDICTION, NordicIdentifier, Prediction
from nordic_pile.lang_id.text import normalize
from nordic_pile.languages import to_iso639_3_any


def models_home() -> str:
    """Where downloaded model files are looked for: `$NORDIC_PILE_MODELS`, else `~/.cache/nordic-pile`."""
    return os.environ.get("NORDIC_PILE_MODELS") or os.path.join(os.path.expanduser("~"), ".cache", "nordic-pile")


EXTERNAL_MODELS = {
    "glotlid": ("glotlid/model.bin", "https://huggingface.co/cis-lmu/glotlid (file model.bin)"),
    "openlid": ("openlid/lid201-model.bin", "https://huggingface.co/laurievb/OpenLID (file model.bin)"),
}


def _require(module: str, package: str, backend: str) -> None:
    if importlib.util.find_spec(module) is None:
        raise ConfigError(
            f"backend {backend!r} needs the Python package {package!r}: pip install {package} "
            "(or pip install 'nordic-pile[bench]')"
        )


class FastTextBackend:
    """Any fastText language-ID model whose labels are language codes (`__label__sv`, `__label__nob_Latn`)."""

    def __init__(self, name: str, path: str, fix: str = ""):
        self.name, self.model = name, FastTextModel(path, f"backend {name!r}", fix)

    def check(self) -> None:
        self.model.check()

    def identify(self, texts: list[str]) -> list[Prediction]:
        lines = [normalize(t) for t in texts]
        todo = [i for i, line in enumerate(lines) if line]
        out = [UNDETERMINED_PREDICTION] * len(texts)
        if todo:
            labels, probs = self.model.predict([lines[i] for i in todo], k=1)
            for i, row, p in zip(todo, labels, probs, strict=True):
                out[i] = Prediction(to_iso639_3_any(row[0]), float(p[0]))
        return out


class NordicBackend(NordicIdentifier):
    name = "nordic"


class LinguaBackend:
    """lingua-language-detector, restricted to `languages` (ISO 639-3; lingua has no Faroese)."""

    name = "lingua"
    DEFAULT_LANGUAGES = ("dan", "nob", "nno", "swe", "isl", "eng", "fin", "deu")

    def __init__(self, languages: tuple[str, ...] = DEFAULT_LANGUAGES):
        _require("lingua", "lingua-language-detector", self.name)
        self.languages, self._detector = tuple(languages), None

    def __getstate__(self):
        return {**self.__dict__, "_detector": None}

    @property
    def detector(self):
        if self._detector is None:
            from lingua import IsoCode639_3, Language, LanguageDetectorBuilder

            wanted = [Language.from_iso_code_639_3(getattr(IsoCode639_3, c.upper())) for c in self.languages]
            self._detector = LanguageDetectorBuilder.from_languages(*wanted).build()
        return self._detector

    def identify(self, texts: list[str]) -> list[Prediction]:
        out = []
        for text, values in zip(
            texts, self.detector.compute_language_confidence_values_in_parallel(texts), strict=True
        ):
            if not values or not any(map(str.isalpha, text)):
                out.append(UNDETERMINED_PREDICTION)
            else:
                out.append(Prediction(values[0].language.iso_code_639_3.name.lower(), float(values[0].value)))
        return out


class Pycld2Backend:
    """Compact Language Detector 2 (pycld2): knows nb, nn, da, sv, is, fo, fi, en and ~80 others."""

    name = "pycld2"

    def __init__(self):
        _require("pycld2", "pycld2", self.name)

    def identify(self, texts: list[str]) -> list[Prediction]:
        import pycld2

        out = []
        for text in texts:
            try:
                _, _, details = pycld2.detect(text, bestEffort=True)
            except pycld2.error:  # invalid UTF-8 (lone surrogates)
                details = (("Unknown", "un", 0, 0.0),)
            _, code, percent, _ = details[0]
            language = to_iso639_3_any(code)
            out.append(Prediction(language, percent / 100) if code != "un" else UNDETERMINED_PREDICTION)
        return out


class LangidBackend:
    """langid.py (Lui & Baldwin 2012) with normalised probabilities, all 97 languages."""

    name = "langid"

    def __init__(self):
        _require("langid", "langid", self.name)
        self._identifier = None

    def __getstate__(self):
        return {**self.__dict__, "_identifier": None}

    def identify(self, texts: list[str]) -> list[Prediction]:
        if self._identifier is None:
            from langid.langid import LanguageIdentifier, model

            self._identifier = LanguageIdentifier.from_modelstring(model, norm_probs=True)
        out = []
        for text in texts:
            if not any(map(str.isalpha, text)):
                out.append(UNDETERMINED_PREDICTION)
                continue
            code, prob = self._identifier.classify(text)
            out.append(Prediction(to_iso639_3_any(code), float(prob)))
        return out


def _fasttext_backend(name: str, model_path: str | None):
    if name == "nordic":
        return NordicBackend(model_path)
    if name == "lid176":
        return FastTextBackend(name, model_path or LID176_MODEL, "reinstall nordic-pile (lid.176.ftz ships inside it)")
    relative, source = EXTERNAL_MODELS[name]
    path = model_path or os.path.join(models_home(), relative)
    return FastTextBackend(
        name, path, f"download it from {source} and put it there (or set NORDIC_PILE_MODELS, or pass model_path)"
    )


BACKENDS = ("nordic", "lid176", "glotlid", "openlid", "lingua", "pycld2", "langid")


def get_backend(name: str, model_path: str | None = None):
    """The backend called `name`; `model_path` replaces the default model file of a fastText backend.

    A missing model file or package raises the one-line ConfigError now; models themselves load on first use.
    """
    if name in ("nordic", "lid176") or name in EXTERNAL_MODELS:
        backend = _fasttext_backend(name, model_path)
        backend.check()
        return backend
    if model_path:
        raise ConfigError(f"backend {name!r} takes no model_path (it ships its own model)")
    if name == "lingua":
        return LinguaBackend()
    if name == "pycld2":
        return Pycld2Backend()
    if name == "langid":
        return LangidBackend()
    raise ConfigError(f"backend={name!r} is unknown; use one of {', '.join(BACKENDS)}")


def available_backends() -> list[str]:
    """Backends whose package or model file is present (what `langid eval` compares)."""
    names = ["nordic", "lid176"]
    names += [n for n, (rel, _) in EXTERNAL_MODELS.items() if os.path.isfile(os.path.join(models_home(), rel))]
    names += [
        n
        for n, module in (("lingua", "lingua"), ("pycld2", "pycld2"), ("langid", "langid"))
        if importlib.util.find_spec(module) is not None
    ]
    return names
