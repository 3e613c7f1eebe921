"""Fine-tuning schedules (Howard & Ruder 2018, ULMFiT; as studied for BERT NER): slanted triangular learning rates,
discriminative per-layer rates lr_l = lr_top / delta^(depth from top), and gradual unfreezing from the top.

Depth 0 is the task head with everything above the transformer layers (final norm, pooler); depth 1 the top
transformer layer; depth L the bottom one; depth L + 1 the embeddings.
"""

from __future__ import annotations

import math
from collections import defaultdict

from torch import nn

from nordic_pile.errors import ConfigError

SCHEDULES = ("stlr", "linear", "constant")
_NO_DECAY = ("bias", "norm", "ln_", "layernorm")


def layer_stack(backbone: nn.Module) -> tuple[str, int]:
    """(module path, number of layers) of the backbone's transformer layers: the longest `ModuleList` of one class
    (BERT `encoder.layer`, Llama `layers`, GPT-2 `h`)."""
    best = ("", 0)
    for name, module in backbone.named_modules():
        if isinstance(module, nn.ModuleList) and len(module) > best[1]:
            if len({type(m) for m in module}) == 1:
                best = (name, len(module))
    if not best[1]:
        raise ConfigError(
            f"cannot find the transformer layers of {type(backbone).__name__}; discriminative "
            f"learning rates and gradual unfreezing need them (use --layer-decay 1 --unfreeze 0)"
        )
    return best


def parameter_depths(model: nn.Module, backbone_attr: str = "backbone") -> dict[str, int]:
    """Depth from the top of every trainable parameter of a head-on-backbone model (see the module docstring)."""
    backbone = getattr(model, backbone_attr)
    stack, n_layers = layer_stack(backbone)
    prefix = f"{backbone_attr}.{stack}." if stack else f"{backbone_attr}."
    depths = {}
    for name, _ in model.named_parameters():
        if name.startswith(prefix):
            index = int(name[len(prefix) :].split(".", 1)[0])
            depths[name] = n_layers - index
        elif name.startswith(f"{backbone_attr}.") and ("embed" in name or ".wte." in name or ".wpe." in name):
            depths[name] = n_layers + 1
        else:
            depths[name] = 0
    return depths


def parameter_groups(
    model: nn.Module, lr_top: float, layer_decay: float, weight_decay: float, by_depth: bool = True
) -> list[dict]:
    """AdamW groups: one per (depth, decay or not), lr = lr_top / layer_decay ** depth; no decay on biases/norms.
    Without `by_depth` (no discriminative rates, no unfreezing) every parameter is at depth 0."""
    if layer_decay < 1:
        raise ConfigError(
            f"--layer-decay {layer_decay}: must be >= 1 (1 = the same rate for every layer; ULMFiT uses 2.6)"
        )
    if by_depth:
        depths = parameter_depths(model)
    else:
        depths = dict.fromkeys((n for n, _ in model.named_parameters()), 0)
    grouped: dict[tuple[int, bool], list] = defaultdict(list)
    for name, param in model.named_parameters():
        decay = param.ndim > 1 and not any(k in name.lower() for k in _NO_DECAY)
        grouped[(depths[name], decay)].append(param)
    return [
        {
            "params": params,
            "lr": lr_top / layer_decay**depth,
            "depth": depth,
            "weight_decay": weight_decay if decay else 0.0,
        }
        for (depth, decay), params in sorted(grouped.items())
    ]


def lr_multiplier(schedule: str, total_steps: int, warmup: float, ratio: float = 32.0):
    """step -> factor of the peak rate. `stlr`: rises linearly for `warmup` of the steps from 1/ratio to 1, then
    falls linearly back to 1/ratio (Howard & Ruder eq. 3); `linear`: from 0 up, then down to 0; `constant`."""
    if schedule not in SCHEDULES:
        raise ConfigError(f"--schedule {schedule}: use one of {', '.join(SCHEDULES)}")
    if not 0 <= warmup < 1:
        raise ConfigError(f"--warmup {warmup}: a fraction of the training steps in [0, 1)")
    if ratio < 1:
        raise ConfigError(f"--stlr-ratio {ratio}: must be >= 1 (ULMFiT uses 32)")
    cut = max(1, math.floor(total_steps * warmup)) if warmup > 0 else 0

    def factor(step: int) -> float:
        if schedule == "constant":
            return 1.0
        if step < cut:
            p = step / cut
        else:
            p = 1 - (step - cut) / max(1, total_steps - cut)
        p = min(1.0, max(0.0, p))
        return (1 + p * (ratio - 1)) / ratio if schedule == "stlr" else p

    return factor


def unfrozen_depth(step: int, steps_per_stage: int, layers_per_stage: int) -> int | None:
    """Deepest depth that trains at `step` under gradual unfreezing (None: everything trains)."""
    if layers_per_stage <= 0:
        return None
    return (step // max(1, steps_per_stage)) * layers_per_stage


def apply_unfreezing(groups: list[dict], max_depth: int | None) -> None:
    """Freeze parameter groups deeper than `max_depth` (requires_grad False: AdamW skips them)."""
    for group in groups:
        trainable = max_depth is None or group["depth"] <= max_depth
        for param in group["params"]:
            param.requires_grad_(trainable)
