"""Throughput logging: tokens per second and model FLOPs utilisation (formula in `flops.py`)."""

from __future__ import annotations

import time
from collections import deque

import lightning as L
import torch

from nordic_pile.pretrain.flops import mfu, peak_flops
from nordic_pile.pretrain.module import logging_step


class SpeedMonitor(L.Callback):
    """Log `perf/tokens_per_s` (all processes together) and, where the GPU's peak is known or given,
    `perf/mfu`, averaged over the last `window` optimizer steps."""

    def __init__(self, window: int = 10, peak_flops_per_device: float | None = None):
        """
        Args:
            window: optimizer steps to average over.
            peak_flops_per_device: peak FLOP/s of one device; None = from the table in flops.py (A100, H100,
                H200, ...) by the CUDA device's name; CPUs have no entry, so no MFU is logged there.
        """
        self.window, self.peak = window, peak_flops_per_device
        self.times: deque[float] = deque(maxlen=window + 1)

    def on_train_start(self, trainer: L.Trainer, pl_module: L.LightningModule) -> None:
        if self.peak is None and torch.cuda.is_available() and pl_module.device.type == "cuda":
            self.peak = peak_flops(torch.cuda.get_device_name(pl_module.device))
        self.flops_token = pl_module.flops_per_token(trainer.datamodule.seq_len)
        self.times.clear()

    def on_train_batch_end(self, trainer: L.Trainer, pl_module: L.LightningModule, outputs, batch, batch_idx) -> None:
        if (batch_idx + 1) % trainer.accumulate_grad_batches:
            return
        self.times.append(time.perf_counter())
        if len(self.times) < 2 or not logging_step(trainer):
            return
        seconds_per_step = (self.times[-1] - self.times[0]) / (len(self.times) - 1)
        tokens_per_s = trainer.datamodule.tokens_per_step / seconds_per_step
        pl_module.log("perf/tokens_per_s", tokens_per_s, on_step=True, prog_bar=True, rank_zero_only=True)
        if self.peak:
            value = mfu(tokens_per_s, self.flops_token, self.peak, trainer.world_size)
            pl_module.log("perf/mfu", value, on_step=True, prog_bar=True, rank_zero_only=True)
