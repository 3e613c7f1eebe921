"""Instruction-tuning data as GPT-SW3 built it (Ekgren et al. 2023, Sec. 5): conversations rendered in the chat
format (`<eos><bos>\\nUser:\\n...\\n<bos>\\nAssistant:\\n...\\n`, the layout of the published gpt-sw3-instruct models,
which name the assistant "Bot") or the unrolled format (turns as "User: ..." separated by blank lines), a
geometrically distributed number of conversations merged into each training example, and the examples packed into
shards that `nordic-pile pretrain fit --model.init_from PRETRAINED.ckpt` fine-tunes on.

In the packed stream every conversation is preceded by the end-of-text id (each example's conversations are joined
by it and every example ends with it), so the model sees `<eos><bos>User:` at the start of each conversation.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

import numpy as np

from nordic_pile.errors import ConfigError, InputError

ROLES = {
    "user": "user",
    "human": "user",
    "prompter": "user",
    "assistant": "assistant",
    "gpt": "assistant",
    "bot": "assistant",
    "system": "system",
}


@dataclass(frozen=True)
class Turn:
    role: Literal["user", "assistant", "system"]
    text: str


@dataclass(frozen=True)
class ChatFormat:
    style: Literal["chat", "unrolled"] = "chat"
    user: str = "User"
    assistant: str = "Assistant"
    """Label of the assistant's turns (the published GPT-SW3 instruct models used "Bot")."""
    system: str = "System"

    def label(self, role: str) -> str:
        return getattr(self, role)


def render_text(conversation: list[Turn], fmt: ChatFormat, bos: str = "<s>", eos: str = "<|endoftext|>") -> str:
    """One conversation as text, for reading and prompting (`render_ids` produces the training ids)."""
    if fmt.style == "unrolled":
        return "\n\n".join(f"{fmt.label(t.role)}: {t.text}" for t in conversation)
    return eos + "".join(f"{bos}\n{fmt.label(t.role)}:\n{t.text}\n" for t in conversation)


def render_ids(conversation: list[Turn], fmt: ChatFormat, encode, bos_id: int) -> list[int]:
    """Token ids of one conversation without its leading end-of-text id (the packed stream supplies it).
    `encode(text) -> list[int]` must not add special tokens."""
    if fmt.style == "unrolled":
        return encode(render_text(conversation, fmt))
    ids: list[int] = []
    for t in conversation:
        ids += [bos_id, *encode(f"\n{fmt.label(t.role)}:\n{t.text}\n")]
    return ids


def merge_counts(n: int, p: float, seed: int) -> list[int]:
    """Split n conversations into consecutive groups of Geometric(p) size (1, 2, ...; mean 1/p), seeded."""
    if not 0 < p <= 1:
        raise ConfigError(f"--merge-p={p} must be in (0, 1]; 1 keeps one conversation per example")
    rng = np.random.Generator(np.random.PCG64(seed))
    counts, left = [], n
    while left > 0:
        k = min(int(rng.geometric(p)), left)
        counts.append(k)
        left -= k
    return counts


def merge_examples(conversations: list[list[int]], eos_id: int, p: float, seed: int) -> list[list[int]]:
    """Shuffle the conversations (seeded) and join a geometrically distributed number of them per example,
    separated by eos_id; an example does not end with eos_id (the packer appends it)."""
    order = np.random.Generator(np.random.PCG64([seed, 1])).permutation(len(conversations))
    examples, i = [], 0
    for k in merge_counts(len(conversations), p, seed):
        example: list[int] = []
        for j in order[i : i + k]:
            example += ([eos_id] if example else []) + conversations[j]
        examples.append(example)
        i += k
    return examples


def parse_record(record: dict, where: str) -> list[Turn]:
    """A conversation from {"messages": [{"role", "content"}]} (OpenAI style) or {"conversations": [{"from",
    "value"}]} (ShareGPT style)."""
    turns = record.get("messages", record.get("conversations"))
    if not isinstance(turns, list) or not turns:
        raise InputError(f"{where}: no 'messages' (or 'conversations') list")
    out = []
    for t in turns:
        role = ROLES.get(str(t.get("role", t.get("from", ""))).lower()) if isinstance(t, dict) else None
        text = t.get("content", t.get("value")) if isinstance(t, dict) else None
        if role is None or not isinstance(text, str):
            raise InputError(f"{where}: turn {t!r} needs a role (user/assistant/system) and a text")
        out.append(Turn(role, text))
    return out


def read_conversations(paths: list[str]) -> Iterator[list[Turn]]:
    for path in sorted(paths):
        opener = gzip.open if path.endswith(".gz") else open
        with opener(path, "rb") as raw, io.TextIOWrapper(raw, encoding="utf-8") as f:
            for n, line in enumerate(f, 1):
                if line.strip():
                    try:
                        record = json.loads(line)
                    except json.JSONDecodeError as e:
                        raise InputError(f"{path}:{n}: not JSON ({e.msg})") from None
                    yield parse_record(record, f"{path}:{n}")


def build_chat_data(
    inputs: list[str], tokenizer_dir: str, output: str, fmt: ChatFormat, merge_p: float = 0.5, seed: int = 1234
) -> dict:
    """Render, tokenise, merge and pack conversations into `output/` (shards + manifest.json). Returns counts."""
    from transformers import AutoTokenizer

    from nordic_pile.packing.indexed import IndexedDatasetWriter, token_dtype
    from nordic_pile.packing.manifest import PackManifest, ShardInfo, TokenizerInfo

    tok = AutoTokenizer.from_pretrained(tokenizer_dir, local_files_only=True)
    if tok.bos_token_id is None or tok.eos_token_id is None:
        raise ConfigError(f"tokenizer {tokenizer_dir} has no bos/eos tokens; the chat format needs both")

    def encode(text: str) -> list[int]:
        return tok(text, add_special_tokens=False)["input_ids"]

    conversations = [render_ids(c, fmt, encode, tok.bos_token_id) for c in read_conversations(inputs)]
    if not conversations:
        raise InputError(f"no conversations in {inputs}")
    examples = merge_examples(conversations, tok.eos_token_id, merge_p, seed)
    os.makedirs(output, exist_ok=True)
    dtype = token_dtype(len(tok))
    writer = IndexedDatasetWriter(os.path.join(output, "chat_00000"), dtype)
    for example in examples:
        writer.add_document(example + [tok.eos_token_id])
    writer.finalize()
    tokens = sum(len(e) + 1 for e in examples)
    model_file = os.path.join(tokenizer_dir, "tokenizer.json")
    digest = hashlib.sha256(open(model_file, "rb").read()).hexdigest() if os.path.isfile(model_file) else ""
    info = TokenizerInfo(
        model=os.path.abspath(model_file),
        sha256=digest,
        vocab_size=len(tok),
        bos_id=tok.bos_token_id,
        eos_id=tok.eos_token_id,
        pad_id=tok.pad_token_id if tok.pad_token_id is not None else tok.eos_token_id,
        unk_id=tok.unk_token_id if tok.unk_token_id is not None else -1,
        hf_dir=os.path.abspath(tokenizer_dir),
    )
    shard = ShardInfo("chat_00000", len(examples), tokens)
    PackManifest(
        info, dtype.name, [shard], {f"chat/{fmt.style}": {"documents": len(examples), "tokens": tokens}}
    ).save(output)
    return {"conversations": len(conversations), "examples": len(examples), "tokens": tokens}
