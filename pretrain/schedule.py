"""GPT-SW3's learning-rate schedule, counted in tokens (Ekgren et al. 2023, Fig. 1): linear warm-up from 0 to the
maximum, cosine decay to `min_ratio` (1/10) of the maximum, then constant; and the optimizers (AdamW, LAMB)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

import torch
from torch import nn

from nordic_pile.errors import ConfigError


@dataclass(frozen=True)
class ScheduleConfig:
    max_lr: float = 6e-4
    warmup_tokens: float = 0.5e9
    """Linear warm-up from 0 to max_lr over this many tokens (GPT-SW3: 0.5B)."""
    decay_tokens: float = 320e9
    """Decay from max_lr to min_ratio * max_lr over this many tokens after the warm-up; constant after it."""
    min_ratio: float = 0.1
    shape: Literal["cosine", "linear"] = "cosine"

    def __post_init__(self):
        if self.max_lr <= 0:
            raise ConfigError(f"model.schedule.max_lr={self.max_lr} must be positive")
        if self.warmup_tokens < 0 or self.decay_tokens < 0:
            raise ConfigError("model.schedule.warmup_tokens and decay_tokens must be >= 0")
        if not 0 <= self.min_ratio <= 1:
            raise ConfigError(f"model.schedule.min_ratio={self.min_ratio} must be in [0, 1]")


def learning_rate(tokens: float, cfg: ScheduleConfig) -> float:
    """The learning rate after `tokens` tokens of training."""
    if tokens < cfg.warmup_tokens:
        return cfg.max_lr * tokens / cfg.warmup_tokens
    progress = min(1.0, (tokens - cfg.warmup_tokens) / cfg.decay_tokens) if cfg.decay_tokens else 1.0
    falling = 0.5 * (1 + math.cos(math.pi * progress)) if cfg.shape == "cosine" else 1 - progress  # 1 -> 0
    return cfg.max_lr * (cfg.min_ratio + (1 - cfg.min_ratio) * falling)


def lr_lambda(cfg: ScheduleConfig, tokens_per_step: int):
    """Multiplier of max_lr for `torch.optim.lr_scheduler.LambdaLR` (stepped once per optimizer step). Optimizer
    step s (from 0) uses the rate after its own tokens, (s + 1) * tokens_per_step, as Megatron does: the first
    step is not wasted on a rate of 0."""
    return lambda step: learning_rate((step + 1) * tokens_per_step, cfg) / cfg.max_lr


@dataclass(frozen=True)
class OptimizerConfig:
    name: Literal["adamw", "lamb"] = "adamw"
    betas: tuple[float, float] = (0.9, 0.95)
    eps: float = 1e-8
    weight_decay: float = 0.1
    """Applied to matrices and embeddings only; never to biases and LayerNorm parameters."""
    fused: bool | None = None
    """Fused AdamW kernel; None = where available (all parameters on CUDA)."""


def decay_groups(model: nn.Module, weight_decay: float) -> list[dict]:
    """Weight decay on weight matrices and embeddings, never on biases or LayerNorm parameters. Decided by module
    type and name, not by shape: under FSDP the parameters are flat shards."""
    decay, no_decay, seen = [], [], set()
    for module in model.modules():
        for name, p in module.named_parameters(recurse=False):
            if not p.requires_grad or id(p) in seen:  # tied embeddings appear twice
                continue
            seen.add(id(p))
            plain = isinstance(module, (nn.LayerNorm, nn.RMSNorm)) or name == "bias" or name.endswith("_bias")
            (no_decay if plain else decay).append(p)
    return [{"params": decay, "weight_decay": weight_decay}, {"params": no_decay, "weight_decay": 0.0}]


def build_optimizer(model: nn.Module, lr: float, cfg: OptimizerConfig) -> torch.optim.Optimizer:
    groups = decay_groups(model, cfg.weight_decay)
    if cfg.name == "lamb":
        from nordic_pile.pretrain.lamb import Lamb

        return Lamb(groups, lr=lr, betas=cfg.betas, eps=cfg.eps)
    params = [p for g in groups for p in g["params"]]
    fused = cfg.fused if cfg.fused is not None else bool(params) and all(p.is_cuda for p in params)
    return torch.optim.AdamW(groups, lr=lr, betas=cfg.betas, eps=cfg.eps, fused=fused or None)
