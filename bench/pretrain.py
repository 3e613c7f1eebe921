"""Training throughput: `nordic-pile pretrain` (Lightning) beside a plain PyTorch loop, same model, data and settings.

CPU (default): tokens/s of the tiny and the 126M GPT configurations over a fixed number of optimizer steps, each
measured after warm-up steps, in alternating runs (which side goes first alternates too) of our Lightning layer
(GPTModule + PackedDataModule + SpeedMonitor, CSV logging of loss/LR/tokens per step, as `pretrain fit` runs them;
no progress bar, no checkpoints) and of a plain loop over the same packed data, sampler, model, AdamW, gradient
clipping and LR schedule. The figure that matters is
the ratio: the Lightning layer's overhead. The 126M model keeps its 12 x 768 shape and 64k vocabulary but trains
on shorter sequences (--seq-len-126m, default 128; 64 with --quick) so that a step takes seconds on a CPU core.
Token ids are random (speed does not depend on them). Figures are medians of --repeats runs; the last line is JSON.

GPU (--gpu): MFU of 126M and 1.3B on one GPU with bf16, SDPA (flash) attention and torch.compile, through the same
Lightning layer at sequence 2,048:

    .venv/bin/python bench/pretrain.py --gpu --steps 50 --warmup 20
    .venv/bin/python bench/pretrain.py --quick
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import numpy as np  # noqa: E402
import torch  # noqa: E402
import yaml  # noqa: E402

from nordic_pile.packing.indexed import IndexedDatasetWriter, token_dtype  # noqa: E402
from nordic_pile.packing.manifest import PackManifest, ShardInfo, TokenizerInfo  # noqa: E402
from nordic_pile.pretrain.cli import bundled_configs  # noqa: E402
from nordic_pile.pretrain.data import PackedDataModule, StepBatchSampler, StreamDataset  # noqa: E402
from nordic_pile.pretrain.model import GPT, GPTConfig  # noqa: E402
from nordic_pile.pretrain.schedule import OptimizerConfig, ScheduleConfig, build_optimizer, lr_lambda  # noqa: E402


def random_pack(folder: str, vocab_size: int, n_tokens: int, eos_id: int = 3, seed: int = 0) -> str:
    """Synthetic packed data (random documents of 50-500 tokens) for speed measurements."""
    rng = np.random.default_rng(seed)
    os.makedirs(folder, exist_ok=True)
    dtype = token_dtype(vocab_size)
    w = IndexedDatasetWriter(os.path.join(folder, "shard_00000"), dtype)
    done = docs = 0
    while done < n_tokens:
        doc = rng.integers(4, vocab_size, size=int(rng.integers(50, 500))).tolist() + [eos_id]
        w.add_document(doc)
        done, docs = done + len(doc), docs + 1
    w.finalize()
    info = TokenizerInfo("synthetic", "0" * 64, vocab_size, 2, eos_id, 0, 1, None)
    PackManifest(info, dtype.name, [ShardInfo("shard_00000", docs, done)]).save(folder)
    return folder


def settings(name: str, seq_len: int | None, micro: int, accumulation: int) -> dict:
    with open(bundled_configs()[name], encoding="utf-8") as f:
        config = yaml.safe_load(f)
    model = {**config["model"]["config"]}
    seq = seq_len or config["data"]["seq_len"]
    model["block_size"] = max(model["block_size"], seq)
    schedule = {
        k: v if k == "shape" else float(v) for k, v in config["model"]["schedule"].items()
    }  # YAML 1.1: 2.0e4 is text
    return {
        "model": model,
        "schedule": schedule,
        "seq_len": seq,
        "micro": micro,
        "global": micro * accumulation,
        "clip": config["trainer"].get("gradient_clip_val", 1.0),
    }


def run_plain(data_dir: str, s: dict, steps: int, warmup: int, device: str, precision: str, compile_: bool) -> float:
    """A plain PyTorch loop: same data order, model, optimizer, clipping and schedule. Returns tokens/s."""
    data = PackedDataModule(data_dir, s["seq_len"], s["global"], s["micro"], validation_fraction=0.0, num_workers=0)
    dataset = StreamDataset(data.load_split("train"))
    sampler = StepBatchSampler(s["global"], s["micro"], 0, 1, warmup + steps)
    loader = torch.utils.data.DataLoader(dataset, batch_sampler=sampler, num_workers=0)
    torch.manual_seed(1234)
    model = GPT(GPTConfig(**s["model"], vocab_size=data.vocab_size, eos_id=data.eos_id)).to(device)
    if compile_:
        model.compile()
    optimizer = build_optimizer(model, s["schedule"]["max_lr"], OptimizerConfig())
    scheduler = torch.optim.lr_scheduler.LambdaLR(
        optimizer, lr_lambda(ScheduleConfig(**s["schedule"]), data.tokens_per_step)
    )
    accumulation, start, micro_batches = s["global"] // s["micro"], 0.0, 0
    autocast = torch.autocast(device, dtype=torch.bfloat16, enabled=precision == "bf16-mixed")
    for batch in loader:
        batch = batch.to(device, non_blocking=True)
        with autocast:
            _, loss = model(batch[:, :-1], batch[:, 1:])
        (loss / accumulation).backward()
        micro_batches += 1
        if micro_batches % accumulation == 0:
            torch.nn.utils.clip_grad_norm_(model.parameters(), s["clip"])
            optimizer.step()
            scheduler.step()
            optimizer.zero_grad(set_to_none=True)
            loss.item()  # the loss reaches the host every step, as Lightning's logging does
            if micro_batches // accumulation == warmup:
                if device == "cuda":
                    torch.cuda.synchronize()
                start = time.perf_counter()
    if device == "cuda":
        torch.cuda.synchronize()
    return steps * data.tokens_per_step / (time.perf_counter() - start)


def run_lightning(
    data_dir: str, s: dict, steps: int, warmup: int, device: str, precision: str, compile_: bool, log_dir: str
) -> tuple[float, float | None]:
    """Our Lightning layer as `pretrain fit` builds it. Returns tokens/s and the MFU SpeedMonitor logged."""
    import lightning as L
    from lightning.pytorch.loggers import CSVLogger

    from nordic_pile.pretrain.callbacks import SpeedMonitor
    from nordic_pile.pretrain.module import GPTModule

    class Timer(L.Callback):
        start = end = 0.0
        mfu = None

        def on_train_batch_end(self, trainer, pl_module, outputs, batch, batch_idx):
            if (batch_idx + 1) % trainer.accumulate_grad_batches:
                return
            if trainer.global_step in (warmup, warmup + steps):
                if device == "cuda":
                    torch.cuda.synchronize()
                setattr(self, "start" if trainer.global_step == warmup else "end", time.perf_counter())
                self.mfu = trainer.callback_metrics.get("perf/mfu")

    data = PackedDataModule(data_dir, s["seq_len"], s["global"], s["micro"], validation_fraction=0.0, num_workers=0)
    module = GPTModule(GPTConfig(**s["model"]), OptimizerConfig(), ScheduleConfig(**s["schedule"]), compile=compile_)
    torch.manual_seed(1234)
    timer = Timer()
    trainer = L.Trainer(
        accelerator="gpu" if device == "cuda" else "cpu",
        devices=1,
        precision=precision,
        max_steps=warmup + steps,
        gradient_clip_val=s["clip"],
        logger=CSVLogger(log_dir),
        log_every_n_steps=10,
        enable_checkpointing=False,
        enable_progress_bar=False,
        enable_model_summary=False,
        use_distributed_sampler=False,
        limit_val_batches=0,
        callbacks=[SpeedMonitor(), timer],
    )
    trainer.fit(module, datamodule=data)
    mfu = float(timer.mfu) if timer.mfu is not None else None
    return steps * data.tokens_per_step / (timer.end - timer.start), mfu


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--quick", action="store_true", help="fewer steps and repeats (about a minute on 2 cores)")
    p.add_argument("--steps", type=int, help="timed optimizer steps per run")
    p.add_argument("--warmup", type=int, help="untimed optimizer steps first")
    p.add_argument("--repeats", type=int, help="alternating runs per side (median reported)")
    p.add_argument("--threads", type=int, default=1, help="torch CPU threads for both sides (default 1)")
    p.add_argument("--seq-len-126m", type=int, help="sequence length of the 126M case on CPU (default 128; 64 quick)")
    p.add_argument("--steps-126m", type=int, help="timed steps of the 126M case on CPU (default 6; 2 quick)")
    p.add_argument("--only", choices=["tiny", "126m", "1.3b"], help="run one case only")
    p.add_argument("--gpu", action="store_true", help="MFU of 126M and 1.3B on one GPU (bf16, compile)")
    args = p.parse_args()
    torch.set_num_threads(args.threads)
    import logging
    import warnings

    logging.getLogger("lightning.pytorch").setLevel(logging.ERROR)
    warnings.filterwarnings("ignore")
    if args.gpu:
        device, precision, compile_ = "cuda", "bf16-mixed", True
        cases = [("126m", "gpt_126m", None, 16, 1), ("1.3b", "gpt_1.3b", None, 4, 2)]
        steps, warmup, repeats = args.steps or 50, args.warmup or 20, args.repeats or 1
    else:
        device, precision, compile_ = "cpu", "32-true", False
        seq_126m = args.seq_len_126m or (64 if args.quick else 128)
        cases = [("tiny", "gpt_tiny", None, 8, 2), ("126m", "gpt_126m", seq_126m, 1, 2)]
        steps = args.steps or (10 if args.quick else 30)
        warmup = args.warmup or (2 if args.quick else 5)
        repeats = args.repeats or (2 if args.quick else 4)
    results, rows = {}, []
    with tempfile.TemporaryDirectory() as tmp:
        for label, config, seq_len, micro, accumulation in cases:
            if args.only and label != args.only:
                continue
            s = settings(config, seq_len, micro, accumulation)
            if label == "126m" and not args.gpu:  # seconds per step on a CPU core
                steps_here, warmup_here = args.steps_126m or (2 if args.quick else 6), 1
            else:
                steps_here, warmup_here = steps, warmup
            vocab = 64000 if label != "tiny" else 8000
            needed = (steps_here + warmup_here + 1) * s["global"] * (s["seq_len"] + 1) + 10_000
            data_dir = str(random_pack(os.path.join(tmp, label), vocab, needed))
            ours, plain, mfus = [], [], []
            for r in range(repeats):  # alternate which side runs first: the second of a pair runs on warm memory
                for side in ("ours", "plain") if r % 2 == 0 else ("plain", "ours"):
                    if side == "ours":
                        tps, mfu = run_lightning(
                            data_dir,
                            s,
                            steps_here,
                            warmup_here,
                            device,
                            precision,
                            compile_,
                            os.path.join(tmp, f"logs_{label}_{r}"),
                        )
                        ours.append(tps)
                        mfus.append(mfu)
                    else:
                        plain.append(run_plain(data_dir, s, steps_here, warmup_here, device, precision, compile_))
            o, b = statistics.median(ours), statistics.median(plain)
            with torch.device("meta"):
                n = GPT(GPTConfig(**s["model"], vocab_size=vocab)).num_params()
            results[label] = {
                "params": n,
                "seq_len": s["seq_len"],
                "global_batch": s["global"],
                "micro_batch": s["micro"],
                "steps": steps_here,
                "repeats": repeats,
                "lightning_tokens_per_s": round(o, 1),
                "plain_tokens_per_s": round(b, 1),
                "lightning_overhead_pct": round(100 * (b - o) / b, 2),
                "lightning_runs": [round(x, 1) for x in ours],
                "plain_runs": [round(x, 1) for x in plain],
            }
            if args.gpu:
                results[label]["mfu"] = mfus[-1]
            rows.append(
                (label, f"{n / 1e6:.1f}M", s["seq_len"], f"{o:,.0f}", f"{b:,.0f}", f"{100 * (b - o) / b:+.1f}%")
            )
    print(f"{'config':8s} {'params':>8s} {'seq':>5s} {'lightning tok/s':>16s} {'plain tok/s':>12s} {'overhead':>9s}")
    for row in rows:
        print(f"{row[0]:8s} {row[1]:>8s} {row[2]:>5d} {row[3]:>16s} {row[4]:>12s} {row[5]:>9s}")
    device_name = torch.cuda.get_device_name() if args.gpu else f"cpu x {args.threads} thread(s)"
    print(json.dumps({"bench": "pretrain", "device": device_name, "precision": precision, **results}))


if __name__ == "__main__":
    main()
