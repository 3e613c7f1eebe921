"""Packed datasets for the pretraining tests, built the way `nordic-pile tokenizer export` and `nordic-pile pack`
lay them out: a small BPE tokenizer trained on real Nordic sentences (tests/data/pretrain, UD, CC BY-SA 4.0),
exported as a Hugging Face tokenizer, and Megatron shards with a manifest (GPT: one sequence per document ending
with EOS; BERT: one sequence per sentence)."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from nordic_pile.packing.indexed import IndexedDatasetWriter, token_dtype
from nordic_pile.packing.manifest import PackManifest, ShardInfo, TokenizerInfo

SENTENCES = Path(__file__).parents[1] / "data" / "pretrain" / "ud_sentences.jsonl"
SPECIALS = ["<pad>", "<unk>", "<s>", "<|endoftext|>"]  # ids 0..3, as GPT-SW3's tokenizer


def documents() -> list[list[str]]:
    """Documents of five consecutive sentences of one language."""
    by_lang: dict[str, list[str]] = {}
    for line in SENTENCES.read_text(encoding="utf-8").splitlines():
        r = json.loads(line)
        by_lang.setdefault(r["lang"], []).append(r["text"])
    return [texts[i : i + 5] for lang in sorted(by_lang) for texts in [by_lang[lang]] for i in range(0, len(texts), 5)]


def train_tokenizer(folder: Path, vocab_size: int = 400) -> Path:
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
    from transformers import PreTrainedTokenizerFast

    tok = Tokenizer(models.BPE(unk_token="<unk>"))
    tok.pre_tokenizer = pre_tokenizers.Metaspace()
    tok.decoder = decoders.Metaspace()
    trainer = trainers.BpeTrainer(
        vocab_size=vocab_size, special_tokens=SPECIALS, show_progress=False, initial_alphabet=["\n"]
    )  # the chat format has line breaks
    tok.train_from_iterator((s for doc in documents() for s in doc), trainer)
    hf = PreTrainedTokenizerFast(
        tokenizer_object=tok, pad_token="<pad>", unk_token="<unk>", bos_token="<s>", eos_token="<|endoftext|>"
    )
    hf_dir = folder / "hf_tokenizer"
    hf.save_pretrained(str(hf_dir))
    return hf_dir


def tokenizer_info(hf_dir: Path) -> TokenizerInfo:
    from transformers import AutoTokenizer

    tok = AutoTokenizer.from_pretrained(str(hf_dir))
    model = hf_dir / "tokenizer.json"
    return TokenizerInfo(str(model), hashlib.sha256(model.read_bytes()).hexdigest(), len(tok), 2, 3, 0, 1, str(hf_dir))


def pack(folder: Path, hf_dir: Path, unit: str = "document", shards: int = 2, repeat: int = 1) -> Path:
    """Pack the documents (repeated `repeat` times) into `shards` shards; unit "document" or "sentence"."""
    from transformers import AutoTokenizer

    tok = AutoTokenizer.from_pretrained(str(hf_dir))
    info = tokenizer_info(hf_dir)
    docs = documents() * repeat
    folder.mkdir(parents=True, exist_ok=True)
    dtype = token_dtype(info.vocab_size)
    infos = []
    for k in range(shards):
        mine = docs[k::shards]
        w = IndexedDatasetWriter(str(folder / f"shard_{k:05d}"), dtype)
        tokens = 0
        for doc in mine:
            if unit == "document":
                ids = tok(" ".join(doc), add_special_tokens=False)["input_ids"] + [info.eos_id]
                w.add_document(ids)
                tokens += len(ids)
            else:
                for sentence in doc:
                    ids = tok(sentence, add_special_tokens=False)["input_ids"]
                    w.add_sequence(ids)
                    tokens += len(ids)
                w.end_document()
        w.finalize()
        infos.append(ShardInfo(f"shard_{k:05d}", len(mine), tokens))
    PackManifest(info, dtype.name, infos, unit=unit, eos_after_every_document=unit == "document").save(str(folder))
    return folder


def env_with_repo() -> dict:
    """Environment for subprocesses: `tests` importable (test-only callbacks), one thread as in the tests."""
    root = str(Path(__file__).parents[2])
    return {**os.environ, "PYTHONPATH": root + os.pathsep + os.environ.get("PYTHONPATH", ""), "OMP_NUM_THREADS": "1"}
