"""One interface over a SentencePiece model and a Hugging Face tokenizer: batch encoding, offsets, special ids.

`load_tokenizer(path)` takes a `.model` file, the folder `nordic-pile tokenizer train` writes (its
`tokenizer.model`), a Hugging Face tokenizer folder or a `tokenizer.json`. Models load lazily, so the objects
pickle to datatrove workers.
"""

from __future__ import annotations

import os
import re

import numpy as np

from nordic_pile.errors import ConfigError

_BYTE_PIECE = re.compile(r"^<0x[0-9A-Fa-f]{2}>$")


class SentencePieceBackend:
    kind = "sentencepiece"

    def __init__(self, model_path: str):
        self.path = model_path
        self._sp = None

    def __getstate__(self):
        return {"path": self.path, "_sp": None}

    @property
    def sp(self):
        if self._sp is None:
            import sentencepiece as spm

            self._sp = spm.SentencePieceProcessor(model_file=self.path)
        return self._sp

    @property
    def name(self) -> str:
        return os.path.basename(os.path.dirname(os.path.abspath(self.path))) + "/" + os.path.basename(self.path)

    @property
    def vocab_size(self) -> int:
        return self.sp.get_piece_size()

    def special(self) -> dict[str, int]:
        sp = self.sp
        return {"pad_id": sp.pad_id(), "unk_id": sp.unk_id(), "bos_id": sp.bos_id(), "eos_id": sp.eos_id()}

    def encode_batch(self, texts: list[str]) -> list[list[int]]:
        return self.sp.encode(texts, num_threads=1)

    def encode_offsets(self, texts: list[str]) -> list[tuple[np.ndarray, np.ndarray]]:
        """Per text: token ids and (start, end) character offsets, shape (T, 2); the byte-fallback tokens of a
        character have that character's start (the last one also its end)."""
        out = []
        for text, proto in zip(texts, self.sp.encode(texts, return_type="proto", num_threads=1), strict=True):
            char_at = _byte_to_char(text)
            ids = np.fromiter((p.id for p in proto.pieces), dtype=np.int64, count=len(proto.pieces))
            spans = np.fromiter(
                (x for p in proto.pieces for x in (p.begin, p.end)), dtype=np.int64, count=2 * len(proto.pieces)
            ).reshape(-1, 2)
            out.append((ids, char_at[spans]))
        return out

    def kinds(self) -> tuple[np.ndarray, np.ndarray]:
        """Boolean masks over the vocabulary: (unknown, byte-fallback)."""
        n = self.vocab_size
        return (np.array([self.sp.is_unknown(i) for i in range(n)]), np.array([self.sp.is_byte(i) for i in range(n)]))


def _byte_to_char(text: str) -> np.ndarray:
    """For each UTF-8 byte offset 0..len(bytes), the character offset it falls in."""
    codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
    lengths = 1 + (codes >= 0x80) + (codes >= 0x800) + (codes >= 0x10000)
    return np.concatenate([np.repeat(np.arange(len(codes)), lengths), [len(codes)]])


class HuggingFaceBackend:
    kind = "huggingface"

    def __init__(self, path: str):
        self.path = path
        self._tok = None
        self._rust = None

    def __getstate__(self):
        return {"path": self.path, "_tok": None, "_rust": None}

    @property
    def rust(self):
        """The `tokenizers.Tokenizer` of tokenizer.json, for batch encoding without transformers' per-call work;
        typed special tokens are split as text when the folder's config says `split_special_tokens`."""
        if self._rust is None:
            import json

            from tokenizers import Tokenizer

            folder = os.path.dirname(self.path) if self.path.endswith(".json") else self.path
            file = self.path if self.path.endswith(".json") else os.path.join(self.path, "tokenizer.json")
            if not os.path.isfile(file):
                return None
            self._rust = Tokenizer.from_file(file)
            config = os.path.join(folder, "tokenizer_config.json")
            if os.path.isfile(config):
                with open(config, encoding="utf-8") as f:
                    self._rust.encode_special_tokens = bool(json.load(f).get("split_special_tokens", False))
        return self._rust

    @property
    def tok(self):
        if self._tok is None:
            from transformers import AutoTokenizer, PreTrainedTokenizerFast

            if self.path.endswith(".json"):
                self._tok = PreTrainedTokenizerFast(tokenizer_file=self.path)
            else:
                self._tok = AutoTokenizer.from_pretrained(self.path)
            if not getattr(self._tok, "is_fast", False):
                raise ConfigError(f"{self.path}: a slow (Python) tokenizer; give a folder with tokenizer.json")
        return self._tok

    @property
    def name(self) -> str:
        return os.path.basename(os.path.abspath(self.path).rstrip("/"))

    @property
    def vocab_size(self) -> int:
        return len(self.tok)

    def special(self) -> dict[str, int]:
        t = self.tok

        def get(value):
            return -1 if value is None else int(value)

        return {
            "pad_id": get(t.pad_token_id),
            "unk_id": get(t.unk_token_id),
            "bos_id": get(t.bos_token_id),
            "eos_id": get(t.eos_token_id),
        }

    def encode_batch(self, texts: list[str]) -> list[list[int]]:
        if self.rust is not None:
            return [e.ids for e in self.rust.encode_batch(texts, add_special_tokens=False)]
        return self.tok(texts, add_special_tokens=False)["input_ids"]

    def encode_offsets(self, texts: list[str]) -> list[tuple[np.ndarray, np.ndarray]]:
        out = self.tok(texts, add_special_tokens=False, return_offsets_mapping=True)
        return [
            (np.asarray(ids, dtype=np.int64), np.asarray(spans, dtype=np.int64).reshape(-1, 2))
            for ids, spans in zip(out["input_ids"], out["offset_mapping"], strict=True)
        ]

    def kinds(self) -> tuple[np.ndarray, np.ndarray]:
        """Boolean masks over the vocabulary: (unknown, byte-fallback)."""
        vocab = self.tok.get_vocab()
        n = max(len(self.tok), max(vocab.values()) + 1)
        unknown, byte = np.zeros(n, dtype=bool), np.zeros(n, dtype=bool)
        if self.tok.unk_token_id is not None:
            unknown[self.tok.unk_token_id] = True
        for token, i in vocab.items():
            byte[i] = bool(_BYTE_PIECE.match(token))
        return unknown, byte


def load_tokenizer(path: str) -> SentencePieceBackend | HuggingFaceBackend:
    if os.path.isdir(path):
        if os.path.isfile(os.path.join(path, "tokenizer.model")) and not os.path.isfile(
            os.path.join(path, "tokenizer_config.json")
        ):
            return SentencePieceBackend(os.path.join(path, "tokenizer.model"))
        if os.path.isfile(os.path.join(path, "tokenizer.json")) or os.path.isfile(
            os.path.join(path, "tokenizer_config.json")
        ):
            return HuggingFaceBackend(path)
        raise ConfigError(
            f"--tokenizer {path}: the folder has neither tokenizer.model (nordic-pile tokenizer train) "
            "nor tokenizer.json (a Hugging Face tokenizer)"
        )
    if path.endswith(".model") and os.path.isfile(path):
        return SentencePieceBackend(path)
    if path.endswith(".json") and os.path.isfile(path):
        return HuggingFaceBackend(path)
    raise ConfigError(
        f"--tokenizer {path}: give a SentencePiece .model file, the output folder of `nordic-pile "
        "tokenizer train`, or a Hugging Face tokenizer folder"
    )
