"""GPT-SW3's decoder (Ekgren et al. 2023), which is GPT-2's (Radford et al. 2019): pre-LayerNorm blocks, learned
positions, a 4x GELU MLP and tied input/output embeddings. It matches `transformers`' `GPT2LMHeadModel` weight for
weight, so a checkpoint exports to it exactly (`export.py`)."""

from __future__ import annotations

import math
from dataclasses import dataclass

import torch
import torch.nn.functional as F
from torch import nn
from torch.utils.checkpoint import checkpoint

from nordic_pile.errors import ConfigError


@dataclass(frozen=True)
class GPTConfig:
    n_layer: int = 12
    n_head: int = 12
    n_embd: int = 768
    block_size: int = 2048
    """Longest sequence (learned positions); the data's `seq_len` must not exceed it."""
    vocab_size: int = 0
    """Set from the packed data's tokenizer (0 = not yet known)."""
    dropout: float = 0.0
    init_std: float = 0.02
    """Normal init of weights; residual output projections get init_std / sqrt(2 n_layer) (GPT-2, Megatron)."""
    layer_norm_eps: float = 1e-5
    document_mask: bool = False
    """Attend only within a document (split at `eos_id`). GPT-SW3 trained without it (False)."""
    eos_id: int = -1
    """End-of-text id, needed by `document_mask`; set from the packed data."""
    activation_checkpointing: bool = False
    """Recompute each block in the backward pass: less memory, about a third more compute."""

    def __post_init__(self):
        for name in ("n_layer", "n_head", "n_embd", "block_size"):
            if getattr(self, name) < 1:
                raise ConfigError(f"model.config.{name}={getattr(self, name)} must be positive")
        if self.n_embd % self.n_head:
            raise ConfigError(
                f"model.config.n_embd={self.n_embd} is not divisible by n_head={self.n_head}; "
                "choose a head count that divides it"
            )
        if not 0 <= self.dropout < 1:
            raise ConfigError(f"model.config.dropout={self.dropout} must be in [0, 1)")


class CausalSelfAttention(nn.Module):
    def __init__(self, cfg: GPTConfig):
        super().__init__()
        self.c_attn = nn.Linear(cfg.n_embd, 3 * cfg.n_embd)
        self.c_proj = nn.Linear(cfg.n_embd, cfg.n_embd)
        self.resid_dropout = nn.Dropout(cfg.dropout)
        self.n_head, self.dropout = cfg.n_head, cfg.dropout

    def forward(self, x: torch.Tensor, mask: torch.Tensor | None = None) -> torch.Tensor:
        B, T, C = x.shape
        q, k, v = self.c_attn(x).split(C, dim=2)  # (B, T, C) each
        q, k, v = (t.view(B, T, self.n_head, C // self.n_head).transpose(1, 2) for t in (q, k, v))  # (B, H, T, D)
        p = self.dropout if self.training else 0.0
        # SDPA picks flash / memory-efficient kernels on GPU when there is no explicit mask
        y = (
            F.scaled_dot_product_attention(q, k, v, dropout_p=p, is_causal=True)
            if mask is None
            else F.scaled_dot_product_attention(q, k, v, attn_mask=mask, dropout_p=p)
        )  # (B, H, T, D)
        y = y.transpose(1, 2).contiguous().view(B, T, C)
        return self.resid_dropout(self.c_proj(y))


class MLP(nn.Module):
    def __init__(self, cfg: GPTConfig):
        super().__init__()
        self.c_fc = nn.Linear(cfg.n_embd, 4 * cfg.n_embd)
        self.gelu = nn.GELU()  # exact (erf) GELU, as GPT-SW3's "activation_function": "gelu"
        self.c_proj = nn.Linear(4 * cfg.n_embd, cfg.n_embd)
        self.dropout = nn.Dropout(cfg.dropout)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.dropout(self.c_proj(self.gelu(self.c_fc(x))))  # (B, T, C)


class Block(nn.Module):
    def __init__(self, cfg: GPTConfig):
        super().__init__()
        self.ln_1 = nn.LayerNorm(cfg.n_embd, eps=cfg.layer_norm_eps)
        self.attn = CausalSelfAttention(cfg)
        self.ln_2 = nn.LayerNorm(cfg.n_embd, eps=cfg.layer_norm_eps)
        self.mlp = MLP(cfg)

    def forward(self, x: torch.Tensor, mask: torch.Tensor | None = None) -> torch.Tensor:
        x = x + self.attn(self.ln_1(x), mask)
        return x + self.mlp(self.ln_2(x))  # (B, T, C)


def document_attention_mask(idx: torch.Tensor, eos_id: int) -> torch.Tensor:
    """(B, 1, T, T) boolean mask: position i sees j <= i of its own document. A document ends with its EOS."""
    is_eos = (idx == eos_id).long()
    doc = torch.cumsum(is_eos, dim=1) - is_eos  # (B, T): EOS ids before each position
    T = idx.shape[1]
    causal = torch.ones(T, T, dtype=torch.bool, device=idx.device).tril()
    return (doc[:, :, None] == doc[:, None, :]) & causal  # (B, T, T)


class GPT(nn.Module):
    def __init__(self, cfg: GPTConfig):
        super().__init__()
        if cfg.vocab_size < 1:
            raise ConfigError("model.config.vocab_size is not set; it comes from the packed data's tokenizer")
        if cfg.document_mask and cfg.eos_id < 0:
            raise ConfigError("model.config.document_mask needs eos_id; it comes from the packed data's manifest")
        self.config = cfg
        self.wte = nn.Embedding(cfg.vocab_size, cfg.n_embd)
        self.wpe = nn.Embedding(cfg.block_size, cfg.n_embd)
        self.drop = nn.Dropout(cfg.dropout)
        self.h = nn.ModuleList(Block(cfg) for _ in range(cfg.n_layer))
        self.ln_f = nn.LayerNorm(cfg.n_embd, eps=cfg.layer_norm_eps)
        self.lm_head = nn.Linear(cfg.n_embd, cfg.vocab_size, bias=False)
        self.lm_head.weight = self.wte.weight  # tied, as GPT-2 and GPT-SW3
        self.reset_parameters()

    def reset_parameters(self) -> None:
        std = self.config.init_std
        for name, p in self.named_parameters():
            if name.endswith("bias"):
                nn.init.zeros_(p)
            elif ".ln_" in name or name.startswith("ln_"):
                nn.init.ones_(p)
            elif name.endswith("c_proj.weight"):  # residual outputs: variance does not grow with depth
                nn.init.normal_(p, 0.0, std / math.sqrt(2 * self.config.n_layer))
            else:
                nn.init.normal_(p, 0.0, std)

    def forward(self, idx: torch.Tensor, targets: torch.Tensor | None = None) -> tuple[torch.Tensor, torch.Tensor]:
        """idx, targets: (B, T) token ids. Returns logits (B, T, V) and the mean cross-entropy (nats), or
        a 0-d NaN tensor without targets."""
        B, T = idx.shape
        if T > self.config.block_size:
            raise ConfigError(f"sequence of {T} tokens exceeds model.config.block_size={self.config.block_size}")
        pos = torch.arange(T, device=idx.device)
        x = self.drop(self.wte(idx) + self.wpe(pos))  # (B, T, C)
        mask = document_attention_mask(idx, self.config.eos_id)[:, None] if self.config.document_mask else None
        for block in self.h:
            if self.config.activation_checkpointing and self.training:
                x = checkpoint(block, x, mask, use_reentrant=False)
            else:
                x = block(x, mask)
        logits = self.lm_head(self.ln_f(x))  # (B, T, V)
        if targets is None:
            return logits, torch.tensor(float("nan"))
        loss = F.cross_entropy(logits.float().view(-1, logits.size(-1)), targets.reshape(-1))  # nats per token
        return logits, loss

    def num_params(self, exclude_positions: bool = True) -> int:
        """Parameters (the tied embedding counted once); position embeddings excluded by default (no matmul).
        Counted from the config, so it holds for sharded (FSDP) models too."""
        L, d, V = self.config.n_layer, self.config.n_embd, self.config.vocab_size
        per_block = 12 * d * d + 13 * d  # qkv 3d^2+3d, proj d^2+d, fc 4d^2+4d, proj 4d^2+d, 2 LayerNorms 4d
        n = L * per_block + 2 * d + V * d  # + final LayerNorm + tied embedding
        return n if exclude_positions else n + self.config.block_size * d
