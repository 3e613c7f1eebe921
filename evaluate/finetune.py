"""The fine-tuning loop shared by NER, POS and sentence classification: AdamW with a schedule, discriminative
rates, gradual unfreezing, and early stopping on the dev score (the best state is restored at the end)."""

from __future__ import annotations

import copy
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass

import torch
from torch import nn

from nordic_pile.errors import ConfigError
from nordic_pile.evaluate.metrics import mean_sd
from nordic_pile.evaluate.schedule import apply_unfreezing, lr_multiplier, parameter_groups, unfrozen_depth
from nordic_pile.evaluate.token_data import IGNORE


@dataclass(frozen=True, slots=True)
class TrainConfig:
    """Fine-tuning hyperparameters (recorded with every result)."""

    lr: float = 5e-5  # peak rate of the top group
    batch_size: int = 16
    epochs: int = 10  # at most; early stopping usually ends sooner
    max_steps: int = 0  # 0: no limit besides epochs
    schedule: str = "stlr"  # stlr | linear | constant
    warmup: float = 0.1  # fraction of the steps spent rising
    stlr_ratio: float = 32.0  # peak / lowest rate of the slanted triangle
    layer_decay: float = 1.0  # delta: lr_l = lr / delta^(depth from top); 1 = one rate
    unfreeze: int = 0  # gradual unfreezing: layers unfrozen per stage from the top; 0 = all train from the start
    unfreeze_every: int = 0  # steps per unfreezing stage; 0 = one epoch
    patience: int = 3  # stop after this many dev evaluations without improvement; 0 = never stop early
    eval_every: int = 0  # steps between dev evaluations; 0 = once per epoch
    weight_decay: float = 0.01
    dropout: float = 0.1
    max_length: int = 256  # sub-words per input
    grad_clip: float = 1.0

    def __post_init__(self):
        for name in ("lr", "batch_size", "epochs", "max_length"):
            if getattr(self, name) <= 0:
                raise ConfigError(f"--{name.replace('_', '-')} {getattr(self, name)}: must be positive")
        for name in ("max_steps", "unfreeze", "unfreeze_every", "patience", "eval_every"):
            if getattr(self, name) < 0:
                raise ConfigError(f"--{name.replace('_', '-')} {getattr(self, name)}: must be >= 0")
        if not 0 <= self.dropout < 1:
            raise ConfigError(f"--dropout {self.dropout}: must be in [0, 1)")

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class TrainOutcome:
    best_dev: float
    best_step: int
    steps: int
    epochs: float
    train_seconds: float
    history: list[dict]  # one entry per dev evaluation


def pad_batch(rows: Sequence[Sequence[int]], pad_id: int, labels: Sequence[Sequence[int]] | None = None):
    """Right-padded (input_ids, attention_mask, labels or None) tensors."""
    width = max(len(r) for r in rows)
    ids = torch.full((len(rows), width), pad_id, dtype=torch.long)
    mask = torch.zeros((len(rows), width), dtype=torch.long)
    out_labels = torch.full((len(rows), width), IGNORE, dtype=torch.long) if labels is not None else None
    for i, row in enumerate(rows):
        ids[i, : len(row)] = torch.as_tensor(row, dtype=torch.long)
        mask[i, : len(row)] = 1
        if labels is not None:
            out_labels[i, : len(row)] = torch.as_tensor(labels[i], dtype=torch.long)
    return ids, mask, out_labels


def train(
    model: nn.Module,
    examples: Sequence,
    make_batch: Callable,
    dev_score: Callable[[nn.Module], float],
    cfg: TrainConfig,
    seed: int,
) -> TrainOutcome:
    """Fine-tune `model` on `examples`; `make_batch(list) -> (input_ids, attention_mask, targets)` where targets
    are (B, T) label ids with IGNORE, or (B,) class ids. `dev_score(model)` is higher-is-better."""
    generator = torch.Generator().manual_seed(seed)
    device = next(model.parameters()).device
    per_epoch = -(-len(examples) // cfg.batch_size)
    total = per_epoch * cfg.epochs if not cfg.max_steps else min(cfg.max_steps, per_epoch * cfg.epochs)
    groups = parameter_groups(
        model, cfg.lr, cfg.layer_decay, cfg.weight_decay, by_depth=cfg.layer_decay != 1 or cfg.unfreeze > 0
    )
    optimizer = torch.optim.AdamW([{k: v for k, v in g.items() if k != "depth"} for g in groups], lr=cfg.lr)
    scheduler = torch.optim.lr_scheduler.LambdaLR(
        optimizer, lr_multiplier(cfg.schedule, total, cfg.warmup, cfg.stlr_ratio)
    )
    loss_fn = nn.CrossEntropyLoss(ignore_index=IGNORE)
    eval_every = cfg.eval_every or per_epoch
    stage_steps = cfg.unfreeze_every or per_epoch
    best, best_step, best_state, waited = float("-inf"), 0, None, 0
    history: list[dict] = []
    step, start = 0, time.perf_counter()
    stop = False
    while step < total and not stop:
        model.train()
        order = torch.randperm(len(examples), generator=generator).tolist()
        for b in range(0, len(order), cfg.batch_size):
            apply_unfreezing(groups, unfrozen_depth(step, stage_steps, cfg.unfreeze))
            ids, mask, targets = make_batch([examples[i] for i in order[b : b + cfg.batch_size]])
            logits = model(ids.to(device), mask.to(device))
            loss = loss_fn(logits.reshape(-1, logits.size(-1)), targets.to(device).reshape(-1))
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            if cfg.grad_clip:
                nn.utils.clip_grad_norm_([p for p in model.parameters() if p.requires_grad], cfg.grad_clip)
            optimizer.step()
            scheduler.step()
            step += 1
            if step % eval_every == 0 or step == total:
                model.eval()
                score = dev_score(model)
                model.train()
                history.append(
                    {"step": step, "epoch": round(step / per_epoch, 3), "dev": score, "loss": float(loss.detach())}
                )
                if score > best:
                    best, best_step, waited = score, step, 0
                    best_state = copy.deepcopy({k: v.detach().cpu() for k, v in model.state_dict().items()})
                else:
                    waited += 1
            stop = bool(cfg.patience) and waited >= cfg.patience
            if step >= total or stop:
                break
    seconds = time.perf_counter() - start
    apply_unfreezing(groups, None)
    if best_state is not None:
        model.load_state_dict(best_state)
    model.eval()
    return TrainOutcome(best, best_step, step, round(step / per_epoch, 3), round(seconds, 3), history)


def run_seeds(
    seeds: Sequence[int],
    build: Callable[[], nn.Module],
    examples: Sequence,
    make_batch: Callable,
    dev_score: Callable[[nn.Module], float],
    test_scores: Callable[[nn.Module], dict],
    cfg: TrainConfig,
) -> list[dict]:
    """One fine-tuning run per seed from a fresh model (`build()` after seeding): dev curve, test scores, times."""
    runs = []
    for seed in seeds:
        torch.manual_seed(seed)
        model = build()
        outcome = train(model, examples, make_batch, dev_score, cfg, seed)
        start = time.perf_counter()
        test = test_scores(model)
        runs.append(
            {
                "seed": seed,
                "dev_best": outcome.best_dev,
                "best_step": outcome.best_step,
                "steps": outcome.steps,
                "epochs": outcome.epochs,
                "train_seconds": outcome.train_seconds,
                "test_seconds": round(time.perf_counter() - start, 3),
                "test": test,
                "history": outcome.history,
            }
        )
    return runs


def summarize_runs(runs: list[dict], keys: Sequence[str]) -> dict:
    """Mean and sample sd over seeds of the test `keys`, the best dev score and the training time."""
    summary = {k: mean_sd([r["test"][k] for r in runs]) for k in keys}
    summary["dev_best"] = mean_sd([r["dev_best"] for r in runs])
    summary["train_seconds"] = mean_sd([r["train_seconds"] for r in runs])
    return summary
