"""Train a SentencePiece model on sample text files, deterministically, and describe the result.

sentencepiece with one thread and a fixed seed learns the same pieces from the same lines; it also stores the
input paths and the model prefix in the model, so those are replaced by file names to make the bytes identical
wherever the command runs.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass

from nordic_pile.errors import ConfigError
from nordic_pile.tokenizer.settings import TokenizerSettings

MODEL_NAME = "tokenizer.model"


def sha256_file(path: str) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def train_sentencepiece(text_files: list[str], output_dir: str, settings: TokenizerSettings) -> str:
    """Train on `text_files` (one sentence per line) and write `output_dir/tokenizer.model` and `.vocab`."""
    import sentencepiece as spm
    from sentencepiece import sentencepiece_model_pb2 as model_pb2

    files = [f for f in text_files if os.path.getsize(f) > 0]
    if not files:
        raise ConfigError("the training sample is empty: raise --fraction or give more input")
    os.makedirs(output_dir, exist_ok=True)
    prefix = os.path.join(output_dir, "tokenizer.partial")
    spm.set_random_generator_seed(settings.seed)
    try:
        spm.SentencePieceTrainer.train(input=files, model_prefix=prefix, **settings.trainer_kwargs())
    except RuntimeError as e:
        if "Vocabulary size is too high" in str(e) or "vocab_size" in str(e):
            raise ConfigError(
                f"sentencepiece: {e}; the sample is too small for --vocab-size "
                f"{settings.vocab_size}: lower it or raise --fraction"
            ) from None
        raise
    proto = model_pb2.ModelProto()
    with open(prefix + ".model", "rb") as f:
        proto.ParseFromString(f.read())
    proto.trainer_spec.model_prefix = "tokenizer"
    del proto.trainer_spec.input[:]
    proto.trainer_spec.input.extend(sorted(os.path.basename(f) for f in files))
    with open(prefix + ".model", "wb") as f:
        f.write(proto.SerializeToString(deterministic=True))
    os.replace(prefix + ".vocab", os.path.join(output_dir, "tokenizer.vocab"))
    os.replace(prefix + ".model", os.path.join(output_dir, MODEL_NAME))
    return os.path.join(output_dir, MODEL_NAME)


@dataclass(frozen=True)
class SpecialIds:
    vocab_size: int
    pad_id: int
    unk_id: int
    bos_id: int
    eos_id: int


def special_ids(model_path: str) -> SpecialIds:
    import sentencepiece as spm

    sp = spm.SentencePieceProcessor(model_file=model_path)
    return SpecialIds(sp.get_piece_size(), sp.pad_id(), sp.unk_id(), sp.bos_id(), sp.eos_id())
