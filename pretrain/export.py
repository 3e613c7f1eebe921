"""Export a checkpoint of ours to a Hugging Face `transformers` model folder with its tokenizer: GPT models as
`GPT2LMHeadModel` (GPT-SW3's own published format), BERT models as `BertForPreTraining` (with NSP) or
`BertForMaskedLM`. The weights map one to one; `AutoModelFor...from_pretrained(folder)` loads them offline."""

from __future__ import annotations

import os
import pickle
import shutil

import torch

from nordic_pile.errors import ConfigError, InputError

CHECKPOINT_KEY = "nordic_pile"
"""Checkpoint entry with what export and fine-tuning need: {"arch": "gpt"|"bert", "config": {...}, "data": {...}}."""


def load_checkpoint(path: str) -> tuple[dict[str, torch.Tensor], dict]:
    """The model weights (keys without the LightningModule's `model.` prefix) and our metadata of a checkpoint."""
    if os.path.isdir(path):
        raise InputError(
            f"{path} is a sharded (FSDP) checkpoint folder; consolidate it first: python -m "
            "lightning.pytorch.utilities.consolidate_checkpoint " + path
        )
    if not os.path.isfile(path):
        raise InputError(f"{path}: no such checkpoint")
    # our own checkpoints hold dataclass hyperparameters, which weights_only loading refuses
    try:
        ckpt = torch.load(path, map_location="cpu", weights_only=False)
    except (OSError, RuntimeError, EOFError, pickle.UnpicklingError) as e:
        raise InputError(f"{path} is not a readable PyTorch checkpoint (truncated or another format?): {e}") from None
    if not isinstance(ckpt, dict) or CHECKPOINT_KEY not in ckpt:
        raise InputError(f"{path} was not written by `nordic-pile pretrain` (no {CHECKPOINT_KEY!r} entry)")
    prefix = "model."
    state = {
        k[len(prefix) :].replace("_orig_mod.", ""): v for k, v in ckpt["state_dict"].items() if k.startswith(prefix)
    }
    return state, ckpt[CHECKPOINT_KEY]


def gpt_to_hf(state: dict[str, torch.Tensor], cfg: dict, tok: dict):
    from transformers import GPT2Config, GPT2LMHeadModel

    hf_cfg = GPT2Config(
        vocab_size=cfg["vocab_size"],
        n_positions=cfg["block_size"],
        n_embd=cfg["n_embd"],
        n_layer=cfg["n_layer"],
        n_head=cfg["n_head"],
        activation_function="gelu",
        resid_pdrop=cfg["dropout"],
        embd_pdrop=cfg["dropout"],
        attn_pdrop=cfg["dropout"],
        layer_norm_epsilon=cfg["layer_norm_eps"],
        initializer_range=cfg["init_std"],
        bos_token_id=tok["bos_id"],
        eos_token_id=tok["eos_id"],
        pad_token_id=tok["pad_id"],
        tie_word_embeddings=True,
    )
    hf_cfg.architectures = ["GPT2LMHeadModel"]
    out = {}
    for k, v in state.items():
        if k == "lm_head.weight":
            continue  # tied to wte
        conv1d = k.endswith(("c_attn.weight", "c_proj.weight", "c_fc.weight"))  # HF's Conv1D stores (in, out)
        out["transformer." + k] = v.t().contiguous() if conv1d else v
    model = GPT2LMHeadModel(hf_cfg)
    _load_exactly(model, out)
    return model


def bert_to_hf(state: dict[str, torch.Tensor], cfg: dict, tok: dict):
    from transformers import BertConfig, BertForMaskedLM, BertForPreTraining

    hf_cfg = BertConfig(
        vocab_size=cfg["vocab_size"],
        hidden_size=cfg["n_embd"],
        num_hidden_layers=cfg["n_layer"],
        num_attention_heads=cfg["n_head"],
        intermediate_size=4 * cfg["n_embd"],
        hidden_act="gelu",
        hidden_dropout_prob=cfg["dropout"],
        attention_probs_dropout_prob=cfg["dropout"],
        max_position_embeddings=cfg["max_position"],
        type_vocab_size=2,
        initializer_range=cfg["init_std"],
        layer_norm_eps=cfg["layer_norm_eps"],
        pad_token_id=tok["pad_id"],
        tie_word_embeddings=True,
    )
    names = {
        "wte.weight": "bert.embeddings.word_embeddings.weight",
        "wpe.weight": "bert.embeddings.position_embeddings.weight",
        "wtt.weight": "bert.embeddings.token_type_embeddings.weight",
        "ln_emb": "bert.embeddings.LayerNorm",
        "mlm_dense": "cls.predictions.transform.dense",
        "mlm_ln": "cls.predictions.transform.LayerNorm",
        "mlm_bias": "cls.predictions.bias",
        "pooler": "bert.pooler.dense",
        "nsp": "cls.seq_relationship",
    }
    layer = {
        "attn_out": "attention.output.dense",
        "ln_attn": "attention.output.LayerNorm",
        "ffn_in": "intermediate.dense",
        "ffn_out": "output.dense",
        "ln_ffn": "output.LayerNorm",
    }
    out = {}
    for k, v in state.items():
        head, _, leaf = k.rpartition(".")
        if k.startswith("layers."):
            _, i, part = head.split(".")
            base = f"bert.encoder.layer.{i}."
            if part == "qkv":
                for name, piece in zip(("query", "key", "value"), v.chunk(3, dim=0), strict=True):
                    out[f"{base}attention.self.{name}.{leaf}"] = piece.contiguous()
            else:
                out[f"{base}{layer[part]}.{leaf}"] = v
        elif k in names:
            out[names[k]] = v
        else:
            out[f"{names[head]}.{leaf}"] = v
    cls = BertForPreTraining if cfg["nsp"] else BertForMaskedLM
    hf_cfg.architectures = [cls.__name__]
    model = cls(hf_cfg)
    _load_exactly(model, out)
    return model


def _load_exactly(model, state: dict[str, torch.Tensor]) -> None:
    missing, unexpected = model.load_state_dict(state, strict=False)
    tied = set(getattr(model, "_tied_weights_keys", None) or {})
    missing = [k for k in missing if k not in tied]
    if missing or unexpected:
        raise AssertionError(f"weight mapping incomplete: missing {missing[:5]}, unexpected {unexpected[:5]}")
    model.tie_weights()


def save_tokenizer(hf_dir: str, out: str, meta: dict) -> None:
    """The tokenizer the data was packed with (the manifest's hf_dir), checked against the model's vocabulary.
    For BERT it becomes a BERT tokenizer: [CLS] = bos and [SEP] = eos around every input (segment ids for
    pairs), a mask token (added when the data module appended one) that is recognised in text, so that
    `pipeline("fill-mask")` works."""
    from transformers import AutoTokenizer

    tok = AutoTokenizer.from_pretrained(hf_dir, local_files_only=True)
    info, cfg = meta["data"]["manifest"]["tokenizer"], meta["config"]
    if meta["arch"] == "bert":
        _bert_tokenizer(tok, info["bos_id"], info["eos_id"], add_mask=len(tok) == cfg["vocab_size"] - 1)
    tok.model_max_length = tok.init_kwargs["model_max_length"] = cfg.get("block_size", cfg.get("max_position"))
    if len(tok) != cfg["vocab_size"]:
        raise ConfigError(
            f"tokenizer {hf_dir} has {len(tok):,} tokens but the model's vocabulary is "
            f"{cfg['vocab_size']:,}; give the tokenizer the data was packed with (--tokenizer)"
        )
    tok.save_pretrained(out)


def _bert_tokenizer(tok, cls_id: int, sep_id: int, add_mask: bool) -> None:
    from tokenizers import processors

    tok.cls_token, tok.sep_token = tok.convert_ids_to_tokens(cls_id), tok.convert_ids_to_tokens(sep_id)
    if add_mask:
        tok.add_special_tokens({"mask_token": "[MASK]"})
    tok.split_special_tokens = tok.init_kwargs["split_special_tokens"] = False  # "[MASK]" typed in text
    if hasattr(tok, "backend_tokenizer"):
        cls, sep = tok.cls_token, tok.sep_token
        tok.backend_tokenizer.post_processor = processors.TemplateProcessing(
            single=f"{cls} $A {sep}",
            pair=f"{cls} $A {sep} $B:1 {sep}:1",
            special_tokens=[(cls, cls_id), (sep, sep_id)],
        )
    tok.model_input_names = tok.init_kwargs["model_input_names"] = ["input_ids", "token_type_ids", "attention_mask"]


def export(checkpoint: str, out: str, tokenizer: str | None = None) -> str:
    """Write `out/` (config.json, model.safetensors, tokenizer files). Returns the model class name."""
    state, meta = load_checkpoint(checkpoint)
    tok_info = meta["data"]["manifest"]["tokenizer"]
    hf_dir = tokenizer or tok_info.get("hf_dir")
    if not hf_dir or not os.path.isdir(hf_dir):
        raise ConfigError(
            f"no Hugging Face tokenizer for {checkpoint} (manifest hf_dir={tok_info.get('hf_dir')!r}); "
            "run `nordic-pile tokenizer export` and pass its folder with --tokenizer"
        )
    model = (gpt_to_hf if meta["arch"] == "gpt" else bert_to_hf)(state, meta["config"], tok_info)
    tmp = out.rstrip("/") + ".partial"
    shutil.rmtree(tmp, ignore_errors=True)
    model.save_pretrained(tmp)
    save_tokenizer(hf_dir, tmp, meta)
    if os.path.exists(out):
        shutil.rmtree(out)
    os.replace(tmp, out)
    return type(model).__name__
