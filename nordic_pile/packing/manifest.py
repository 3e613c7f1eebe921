"""`manifest.json` of a packed dataset: which shards, which tokenizer, how many documents and tokens per slice.

Written by `nordic-pile pack`, read by the pretraining layer. Fields:
    format                      "nordic-pile-packed-v1"
    tokenizer                   {"model": path, "sha256": hex, "vocab_size": int, "bos_id", "eos_id", "pad_id",
                                 "unk_id": int, "hf_dir": path or null}
    dtype                       "uint16" | "int32"
    eos_after_every_document    true: every document ends with tokenizer.eos_id
    unit                        "document" (GPT packing: one sequence per document) | "sentence" (BERT data)
    shards                      [{"prefix": path relative to the manifest's folder, "documents": int, "tokens": int,
                                  "sequences": int, "chars": int}]
    slices                      {"<language>/<category>": {"documents": int, "tokens": int, "chars": int}}
    created_by                  {"command", "inputs", "add_bos", "splitter", "empty_documents", "quarantined", ...}

`nordic-pile pack` copies its tokenizer into the packed folder (`tokenizer/tokenizer.model`, the Hugging Face export
in `tokenizer/hf/`) and records absolute paths; when the folder has been moved, `load` finds the copies there.
With unit "sentence" no eos is added (`eos_after_every_document` is false): each sentence is one sequence, and
`IndexedDataset.document(d)` gives the sentences of document d, for next-sentence prediction within documents.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field

from nordic_pile.errors import ConfigError

FORMAT = "nordic-pile-packed-v1"
MANIFEST = "manifest.json"


@dataclass
class TokenizerInfo:
    model: str
    sha256: str
    vocab_size: int
    bos_id: int
    eos_id: int
    pad_id: int
    unk_id: int
    hf_dir: str | None = None


@dataclass
class ShardInfo:
    prefix: str
    documents: int
    tokens: int
    sequences: int = 0
    chars: int = 0


@dataclass
class PackManifest:
    tokenizer: TokenizerInfo
    dtype: str
    shards: list[ShardInfo] = field(default_factory=list)
    slices: dict[str, dict[str, int]] = field(default_factory=dict)
    unit: str = "document"
    eos_after_every_document: bool = True
    format: str = FORMAT
    created_by: dict = field(default_factory=dict)

    @property
    def total_tokens(self) -> int:
        return sum(s.tokens for s in self.shards)

    @property
    def total_documents(self) -> int:
        return sum(s.documents for s in self.shards)

    def save(self, folder: str) -> str:
        path = os.path.join(folder, MANIFEST)
        data = asdict(self) | {"total_tokens": self.total_tokens, "total_documents": self.total_documents}
        with open(path + ".partial", "w", encoding="utf-8") as f:
            json.dump(data, f, indent=1, sort_keys=True)
            f.write("\n")
        os.replace(path + ".partial", path)
        return path

    @classmethod
    def load(cls, folder: str) -> PackManifest:
        path = os.path.join(folder, MANIFEST) if os.path.isdir(folder) else folder
        if not os.path.isfile(path):
            raise ConfigError(f"{path}: no manifest; give the output folder of `nordic-pile pack`")
        with open(path, encoding="utf-8") as f:
            data = json.load(f)
        if data.get("format") != FORMAT:
            raise ConfigError(f"{path}: format {data.get('format')!r}, expected {FORMAT!r}; pack the data again")
        data.pop("total_tokens", None)
        data.pop("total_documents", None)
        data["tokenizer"] = TokenizerInfo(**data["tokenizer"])
        data["shards"] = [ShardInfo(**s) for s in data["shards"]]
        manifest = cls(**data)
        manifest._relocate(os.path.dirname(os.path.abspath(path)))
        return manifest

    def _relocate(self, folder: str) -> None:
        """Point at the tokenizer copies inside `folder` when the recorded paths no longer exist (a moved folder)."""
        tok = self.tokenizer
        for name in ("model", "hf_dir"):
            recorded = getattr(tok, name)
            if recorded and not os.path.exists(recorded):
                inside = os.path.join(folder, "tokenizer", "hf" if name == "hf_dir" else os.path.basename(recorded))
                if name == "model" and recorded.endswith("tokenizer.json"):
                    inside = os.path.join(folder, "tokenizer", "hf", "tokenizer.json")
                if os.path.exists(inside):
                    setattr(tok, name, inside)

    def check_vocab_size(self, vocab_size: int, what: str = "the model") -> None:
        """A model or tokenizer whose vocabulary differs from the one the shards were packed with cannot train on
        them: ids would be out of range or mean other tokens."""
        if vocab_size != self.tokenizer.vocab_size:
            raise ConfigError(
                f"{what} has a vocabulary of {vocab_size:,} but the packed shards were made with "
                f"{self.tokenizer.model} ({self.tokenizer.vocab_size:,} tokens, sha256 {self.tokenizer.sha256[:12]}); "
                "use that tokenizer's vocabulary size or pack the data again with yours"
            )
