"""Language codes: ISO 639-3 everywhere inside nordic-pile, with the aliases other tools and corpora use."""

from __future__ import annotations

from nordic_pile.errors import ConfigError

NORDIC = ("swe", "nob", "nno", "dan", "isl", "fao")
"""The six Nordic languages the toolkit is built for."""

NAMES = {
    "swe": "Swedish",
    "nob": "Norwegian Bokmål",
    "nno": "Norwegian Nynorsk",
    "dan": "Danish",
    "isl": "Icelandic",
    "fao": "Faroese",
    "eng": "English",
    "fin": "Finnish",
    "sme": "Northern Sami",
    "deu": "German",
    "nld": "Dutch",
    "fra": "French",
    "spa": "Spanish",
    "ita": "Italian",
    "por": "Portuguese",
    "pol": "Polish",
    "rus": "Russian",
    "ukr": "Ukrainian",
    "est": "Estonian",
    "lav": "Latvian",
    "lit": "Lithuanian",
    "ara": "Arabic",
    "tur": "Turkish",
    "fas": "Persian",
    "som": "Somali",
    "zho": "Chinese",
    "jpn": "Japanese",
    "kor": "Korean",
    "lat": "Latin",
    "code": "program code",
    "und": "undetermined",
}
"""Names of the languages nordic-pile labels; `und` is ISO 639-3's code for undetermined."""

UNDETERMINED = "und"

_ALIASES = {
    # ISO 639-1 and the labels of common tools/corpora
    "sv": "swe",
    "nb": "nob",
    "no": "nob",  # lid.176 and most corpora: "Norwegian" is Bokmål in practice
    "nor": "nob",
    "nn": "nno",
    "da": "dan",
    "dk": "dan",  # NordicDSL
    "is": "isl",
    "ice": "isl",
    "fo": "fao",
    "en": "eng",
    "fi": "fin",
    "se": "sme",
    "de": "deu",
    "ger": "deu",
    "nl": "nld",
    "fr": "fra",
    "fre": "fra",
    "es": "spa",
    "it": "ita",
    "pt": "por",
    "pl": "pol",
    "ru": "rus",
    "uk": "ukr",
    "et": "est",
    "lv": "lav",
    "lt": "lit",
    "ar": "ara",
    "tr": "tur",
    "fa": "fas",
    "so": "som",
    "zh": "zho",
    "ja": "jpn",
    "ko": "kor",
    "la": "lat",
}


def to_iso639_3(label: str) -> str:
    """Map a language label (ISO 639-1/2/3, `nb`, `dk`, `__label__sv`, `nob_Latn`) to ISO 639-3; unknown -> `und`."""
    code = label.strip().lower().removeprefix("__label__").split("_")[0].split("-")[0]
    if code in NAMES:
        return code
    return _ALIASES.get(code, UNDETERMINED if len(code) != 3 else code)


ISO639_1 = {
    "af": "afr", "am": "amh", "an": "arg", "ar": "ara", "as": "asm", "av": "ava", "az": "aze", "ba": "bak",
    "be": "bel", "bg": "bul", "bh": "bih", "bn": "ben", "bo": "bod", "br": "bre", "bs": "bos", "ca": "cat",
    "ce": "che", "co": "cos", "cs": "ces", "cv": "chv", "cy": "cym", "da": "dan", "de": "deu", "dv": "div",
    "el": "ell", "en": "eng", "eo": "epo", "es": "spa", "et": "est", "eu": "eus", "fa": "fas", "fi": "fin",
    "fo": "fao", "fr": "fra", "fy": "fry", "ga": "gle", "gd": "gla", "gl": "glg", "gn": "grn", "gu": "guj",
    "gv": "glv", "he": "heb", "hi": "hin", "hr": "hrv", "ht": "hat", "hu": "hun", "hy": "hye", "ia": "ina",
    "id": "ind", "ie": "ile", "io": "ido", "is": "isl", "it": "ita", "ja": "jpn", "jv": "jav", "ka": "kat",
    "kk": "kaz", "km": "khm", "kn": "kan", "ko": "kor", "ku": "kur", "kv": "kom", "kw": "cor", "ky": "kir",
    "la": "lat", "lb": "ltz", "li": "lim", "lo": "lao", "lt": "lit", "lv": "lav", "mg": "mlg", "mk": "mkd",
    "ml": "mal", "mn": "mon", "mr": "mar", "ms": "msa", "mt": "mlt", "my": "mya", "nb": "nob", "ne": "nep",
    "nl": "nld", "nn": "nno", "no": "nob", "oc": "oci", "or": "ori", "os": "oss", "pa": "pan", "pl": "pol",
    "ps": "pus", "pt": "por", "qu": "que", "rm": "roh", "ro": "ron", "ru": "rus", "sa": "san", "sc": "srd",
    "sd": "snd", "se": "sme", "sh": "hbs", "si": "sin", "sk": "slk", "sl": "slv", "so": "som", "sq": "sqi",
    "sr": "srp", "su": "sun", "sv": "swe", "sw": "swa", "ta": "tam", "te": "tel", "tg": "tgk", "th": "tha",
    "tk": "tuk", "tl": "tgl", "tr": "tur", "tt": "tat", "ug": "uig", "uk": "ukr", "ur": "urd", "uz": "uzb",
    "vi": "vie", "vo": "vol", "wa": "wln", "yi": "yid", "yo": "yor", "zh": "zho",
}  # fmt: skip
"""Every two-letter label of lid.176 (and so of pycld2, langid.py, lingua) -> ISO 639-3, so that a Catalan or
Estonian document is labelled `cat`/`est`, not `und` (macrolanguage codes where ISO 639-1 names one: `fas`, `msa`,
`zho`)."""


def to_iso639_3_any(label: str) -> str:
    """Like `to_iso639_3`, but a two-letter code nordic-pile has no alias for still gets its 639-3 code."""
    code = to_iso639_3(label)
    if code != UNDETERMINED:
        return code
    short = label.strip().lower().removeprefix("__label__").split("_")[0].split("-")[0]
    return ISO639_1.get(short, UNDETERMINED)


def check_language(code: str, field: str = "language") -> str:
    """Return `code` if it is an ISO 639-3 code nordic-pile knows, else raise a ConfigError saying what to write."""
    if code in NAMES:
        return code
    hint = _ALIASES.get(code.lower())
    fix = f"write {hint!r}" if hint else f"use one of {', '.join(sorted(NAMES))}"
    raise ConfigError(f"{field}={code!r} is not an ISO 639-3 code nordic-pile knows; {fix}")
