"""Load a model to evaluate from disk: a `transformers` directory, a GGUF file, or a checkpoint through an exporter.

Our own checkpoints reach evaluation through their Hugging Face export. A Lightning `.ckpt` is accepted when an
exporter is installed for it: a function `(ckpt_path: str, out_dir: str)` that writes a directory
`AutoModelForCausalLM`/`AutoModelForMaskedLM` and `AutoTokenizer` can load (config.json, weights, tokenizer files).
`CHECKPOINT_EXPORTERS` names where to find it: `nordic_pile.pretrain.export.export` for our pretraining runs.
"""

from __future__ import annotations

import hashlib
import importlib
import json
import os
import tempfile
from dataclasses import dataclass, field

from nordic_pile.errors import ConfigError, InputError

CHECKPOINT_EXPORTERS = {".ckpt": "nordic_pile.pretrain.export:export"}
"""Checkpoint file suffix -> `module:function` that exports it to a transformers directory."""

TOKENIZER_FILES = (
    "tokenizer.json",
    "tokenizer_config.json",
    "tokenizer.model",
    "vocab.txt",
    "vocab.json",
    "spiece.model",
    "sentencepiece.bpe.model",
)

DTYPES = ("float32", "bfloat16", "float16")


@dataclass(slots=True)
class ModelSource:
    """Where a model comes from: a directory (`path`), optionally a GGUF file in it, and a tokenizer directory."""

    path: str
    gguf_file: str | None = None
    tokenizer: str | None = None
    cleanup: list = field(default_factory=list)  # temporary export folders kept alive while the model is used

    @property
    def tokenizer_path(self) -> str:
        return self.tokenizer or self.path


def _export_checkpoint(path: str, suffix: str) -> ModelSource:
    module_name, func_name = CHECKPOINT_EXPORTERS[suffix].split(":")
    try:
        export = getattr(importlib.import_module(module_name), func_name)
    except (ImportError, AttributeError):
        raise InputError(
            f"--model {path}: a {suffix} checkpoint needs {module_name}.{func_name}(ckpt, out_dir), "
            f"which this install lacks; export the checkpoint to a transformers directory and pass "
            f"that directory"
        ) from None
    tmp = tempfile.TemporaryDirectory(prefix="nordic-pile-eval-")
    export(path, tmp.name)
    source = resolve_model(tmp.name)
    source.cleanup.append(tmp)
    return source


def resolve_model(path: str, gguf_file: str | None = None, tokenizer: str | None = None) -> ModelSource:
    """Check that `path` is something we can load, before any heavy import; errors say what to pass instead."""
    if not os.path.exists(path):
        raise InputError(f"--model {path}: no such file or directory")
    if os.path.isfile(path):
        suffix = os.path.splitext(path)[1]
        if suffix == ".gguf":
            return resolve_model(os.path.dirname(os.path.abspath(path)), os.path.basename(path), tokenizer)
        if suffix in CHECKPOINT_EXPORTERS:
            return _export_checkpoint(path, suffix)
        raise InputError(
            f"--model {path}: a file, not a model directory; pass the directory written by "
            f"save_pretrained (config.json, weights, tokenizer), a .gguf file or a "
            f"{'/'.join(CHECKPOINT_EXPORTERS)} checkpoint"
        )
    if gguf_file:
        if not os.path.isfile(os.path.join(path, gguf_file)):
            raise InputError(f"--gguf-file {gguf_file}: not found in {path}")
    elif not os.path.isfile(os.path.join(path, "config.json")):
        ggufs = sorted(f for f in os.listdir(path) if f.endswith(".gguf"))
        hint = (
            f"; it holds {ggufs[0]}: pass --gguf-file {ggufs[0]}"
            if ggufs
            else ("; give a directory written by save_pretrained (our checkpoints: their transformers export)")
        )
        raise InputError(f"--model {path}: not a transformers model directory (no config.json){hint}")
    else:
        try:
            with open(os.path.join(path, "config.json"), encoding="utf-8") as f:
                config = json.load(f)
        except (OSError, ValueError) as e:
            raise InputError(f"--model {path}: config.json is unreadable ({e}); re-export the model") from None
        if not isinstance(config, dict) or "model_type" not in config:
            raise InputError(f"--model {path}: config.json has no model_type; it is not a transformers config")
    tok_dir = tokenizer or path
    if not os.path.isdir(tok_dir):
        raise InputError(f"--tokenizer {tok_dir}: no such directory")
    if not gguf_file and not any(os.path.isfile(os.path.join(tok_dir, f)) for f in TOKENIZER_FILES):
        raise InputError(
            f"{tok_dir}: no tokenizer files ({', '.join(TOKENIZER_FILES[:3])}, ...); save the "
            f"tokenizer with the model or pass --tokenizer DIR"
        )
    return ModelSource(path, gguf_file, tokenizer)


def torch_dtype(name: str):
    import torch

    if name not in DTYPES:
        raise ConfigError(f"--dtype {name}: use one of {', '.join(DTYPES)}")
    return getattr(torch, name)


def _load_error(source: ModelSource, kind: str, e: Exception) -> InputError:
    first = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
    return InputError(f"--model {source.path}: cannot load it as {kind}: {first}")


def load_tokenizer(source: ModelSource):
    from transformers import AutoTokenizer

    kwargs = {"gguf_file": source.gguf_file} if source.gguf_file and not source.tokenizer else {}
    try:
        tok = AutoTokenizer.from_pretrained(source.tokenizer_path, **kwargs)
    except (OSError, ValueError, KeyError, TypeError) as e:
        raise _load_error(source, "a tokenizer", e) from None
    if not getattr(tok, "is_fast", False):
        raise InputError(
            f"{source.tokenizer_path}: a slow (Python) tokenizer; evaluation needs a fast tokenizer "
            f"(tokenizer.json), which our tokenizer export writes"
        )
    return tok


def _check_causal(source: ModelSource) -> None:
    """A BERT export would load as `BertLMHeadModel` and be scored with bidirectional attention: refuse it."""
    path = os.path.join(source.path, "config.json")
    if source.gguf_file or not os.path.isfile(path):
        return
    with open(path, encoding="utf-8") as f:
        archs = json.load(f).get("architectures") or []
    if archs and not any("CausalLM" in a or a.endswith("LMHeadModel") for a in archs):
        raise InputError(
            f"--model {source.path}: a {archs[0]}, not a causal LM; perplexity needs a decoder "
            f"(AutoModelForCausalLM); evaluate encoders with `eval ner|pos|classify`"
        )


def load_causal_lm(source: ModelSource, dtype: str = "float32", device: str = "cpu"):
    """(model in eval mode, tokenizer)."""
    from transformers import AutoModelForCausalLM

    _check_causal(source)
    kwargs = {"gguf_file": source.gguf_file} if source.gguf_file else {}
    try:
        model = AutoModelForCausalLM.from_pretrained(source.path, dtype=torch_dtype(dtype), **kwargs)
    except (OSError, ValueError, KeyError, TypeError, RuntimeError) as e:
        raise _load_error(source, "a causal LM (AutoModelForCausalLM)", e) from None
    return model.to(device).eval(), load_tokenizer(source)


def context_length(model, tokenizer) -> int:
    """The context of a model (or config): its config (as lm-evaluation-harness reads it), else the tokenizer's,
    else 2048."""
    config = getattr(model, "config", model)
    for attr in ("n_positions", "max_position_embeddings", "n_ctx"):
        value = getattr(config, attr, None)
        if isinstance(value, int) and value > 0:
            return value
    limit = getattr(tokenizer, "model_max_length", None)
    return limit if isinstance(limit, int) and 0 < limit < 1_000_000 else 2048


def input_limit(source: ModelSource, tokenizer, requested: int) -> int:
    """Sub-words per input for fine-tuning: `requested`, capped by the positions the model and tokenizer know."""
    from transformers import AutoConfig

    kwargs = {"gguf_file": source.gguf_file} if source.gguf_file else {}
    try:
        config = AutoConfig.from_pretrained(source.path, **kwargs)
    except (OSError, ValueError, KeyError, TypeError) as e:
        raise _load_error(source, "a transformers config", e) from None
    limits = [requested, context_length(config, tokenizer)]
    tok_limit = getattr(tokenizer, "model_max_length", None)
    if isinstance(tok_limit, int) and 0 < tok_limit < 1_000_000:
        limits.append(tok_limit)
    return min(limits)


def describe_tokenizer(source: ModelSource, tokenizer) -> dict:
    """What a result records about the tokenizer: where it is, its class, size and a hash of its files."""
    digest = hashlib.sha256()
    folder = source.tokenizer_path
    hashed = []
    for name in TOKENIZER_FILES if not (source.gguf_file and not source.tokenizer) else (source.gguf_file,):
        path = os.path.join(folder, name)
        if os.path.isfile(path) and name != source.gguf_file:
            with open(path, "rb") as f:
                digest.update(f.read())
            hashed.append(name)
    return {
        "path": os.path.abspath(folder),
        "class": type(tokenizer).__name__,
        "vocab_size": len(tokenizer),
        "bos_token": tokenizer.bos_token,
        "eos_token": tokenizer.eos_token,
        "files_sha256": digest.hexdigest() if hashed else None,
        "files": hashed,
    }


def describe_model(source: ModelSource, model) -> dict:
    return {
        "path": os.path.abspath(source.path),
        "gguf_file": source.gguf_file,
        "class": type(model).__name__,
        "model_type": getattr(model.config, "model_type", None),
        "parameters": sum(p.numel() for p in model.parameters()),
        "dtype": str(next(model.parameters()).dtype).removeprefix("torch."),
    }


def load_word_tokenizer(model_path: str, tokenizer: str | None = None) -> tuple[ModelSource, object]:
    """(source, fast tokenizer) for fine-tuning; checked before any model weights are read."""
    source = resolve_model(model_path, tokenizer=tokenizer)
    return source, load_tokenizer(source)


def pad_id(tokenizer) -> int:
    """Padding id (inputs are right-padded and masked, so any id works): PAD, else EOS, else UNK, else 0."""
    for token_id in (tokenizer.pad_token_id, tokenizer.eos_token_id, tokenizer.unk_token_id):
        if token_id is not None:
            return token_id
    return 0


def load_backbone(source: ModelSource) -> tuple[object, dict]:
    """The model without its pretraining head (`AutoModel`), in float32 for fine-tuning, and its description."""
    import torch
    from transformers import AutoModel

    kwargs = {"gguf_file": source.gguf_file} if source.gguf_file else {}
    try:
        backbone = AutoModel.from_pretrained(source.path, dtype=torch.float32, **kwargs)
    except (OSError, ValueError, KeyError, TypeError, RuntimeError) as e:
        raise _load_error(source, "a backbone (AutoModel)", e) from None
    return backbone, describe_model(source, backbone)
