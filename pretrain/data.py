"""Training data for GPT-style pretraining: fixed-length windows of the packed shards (`nordic-pile pack`), read by
memory map, in a seeded order that a checkpoint can resume exactly.

The training samples form an endless stream: stream position g is sample `order(g // n)[g % n]` of the training
split (n samples, a fresh seeded permutation per epoch). Optimizer step s trains on positions s*G .. (s+1)*G - 1
(G = the global batch in sequences), split into micro-batches over ranks and accumulation steps. What a run has
seen is therefore a function of the step alone, whatever the number of GPUs, and a resumed run continues at
position `global_step * G` (saved in the checkpoint as `consumed_samples`).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import asdict

import lightning as L
import numpy as np
import torch
from torch.utils.data import DataLoader, Dataset

from nordic_pile.errors import ConfigError
from nordic_pile.packing.manifest import PackManifest
from nordic_pile.packing.sequences import PackedSequences


class StreamDataset(Dataset):
    """Map a stream position to a training sample (see the module docstring); `transform(sample, position)` may
    turn it into something else (masked-language-model inputs)."""

    def __init__(self, samples, transform: Callable | None = None):
        self.samples, self.transform = samples, transform
        self._epoch, self._order = -1, np.zeros(0, dtype=np.int64)

    def __len__(self) -> int:
        return len(self.samples)

    def __getitem__(self, position: int):
        epoch, i = divmod(int(position), len(self.samples))
        if epoch != self._epoch:
            self._epoch, self._order = epoch, self.samples.order(epoch)
        sample = self.samples[int(self._order[i])]
        return self.transform(sample, position) if self.transform else torch.from_numpy(sample)


def first_position(step: int, k: int, rank: int, world: int, global_batch: int, micro_batch: int) -> int:
    """Stream position of the first sample of micro-batch k of optimizer step `step` on `rank`."""
    return step * global_batch + (k * world + rank) * micro_batch


class StepBatchSampler:
    """Micro-batches of stream positions for one rank, step by step from `start_step` to `max_steps`. Micro-batch
    k of step s on rank r: positions s*G + (k*world + r)*m .. + m - 1 (m = micro batch)."""

    def __init__(self, global_batch: int, micro_batch: int, rank: int, world: int, max_steps: int):
        self.global_batch, self.micro_batch, self.rank, self.world = global_batch, micro_batch, rank, world
        self.accumulation = global_batch // (micro_batch * world)
        self.max_steps, self.start_step = max_steps, 0

    def __iter__(self) -> Iterator[list[int]]:
        for step in range(self.start_step, self.max_steps):
            for k in range(self.accumulation):
                first = first_position(step, k, self.rank, self.world, self.global_batch, self.micro_batch)
                yield list(range(first, first + self.micro_batch))

    def __len__(self) -> int:
        """Micro-batches of the whole run (Lightning counts those already done when it resumes)."""
        return self.max_steps * self.accumulation


class ResumableLoader(DataLoader):
    """A DataLoader whose state (samples consumed by finished optimizer steps) goes into Lightning checkpoints."""

    def __init__(self, dataset, batch_sampler: StepBatchSampler, steps_done: Callable[[], int], **kwargs):
        super().__init__(dataset, batch_sampler=batch_sampler, **kwargs)
        self.steps_done = steps_done

    def state_dict(self) -> dict:
        sampler = self.batch_sampler
        return {
            "consumed_samples": self.steps_done() * sampler.global_batch,
            "global_batch_size": sampler.global_batch,
        }

    def load_state_dict(self, state: dict) -> None:
        sampler = self.batch_sampler
        if state["global_batch_size"] != sampler.global_batch:
            raise ConfigError(
                f"the checkpoint trained with data.global_batch_size={state['global_batch_size']} but "
                f"this run has {sampler.global_batch}; resume with the same global batch"
            )
        sampler.start_step = state["consumed_samples"] // sampler.global_batch


def shard_batches(n: int, micro_batch: int, rank: int, world: int) -> list[list[int]]:
    """Evaluation batches of samples 0..n-1 in order, every world-th batch to this rank."""
    batches = [list(range(i, min(i + micro_batch, n))) for i in range(0, n, micro_batch)]
    return batches[rank::world]


class PackedDataModule(L.LightningDataModule):
    """Fixed-length sequences from a packed dataset (the folder with `manifest.json` that `nordic-pile pack`
    writes), documents separated by the end-of-text id, validation held out by document."""

    unit = "document"
    """The manifest unit this data module reads."""

    def __init__(
        self,
        path: str,
        seq_len: int = 2048,
        global_batch_size: int = 256,
        micro_batch_size: int = 4,
        validation_fraction: float = 0.005,
        seed: int = 1234,
        num_workers: int = 2,
        val_every_steps: int | None = None,
    ):
        """
        Args:
            path: the packed dataset's folder (or its manifest.json).
            seq_len: tokens per training sequence (GPT-SW3: 2048); each sample reads seq_len + 1 tokens.
            global_batch_size: sequences per optimizer step over all GPUs; gradient accumulation makes up
                the difference to micro_batch_size x number of GPUs.
            micro_batch_size: sequences per forward pass on one GPU.
            validation_fraction: documents held out for validation (by a seeded hash of the document).
            seed: the order of training samples, the validation split and dropout follow it.
            num_workers: DataLoader worker processes per GPU.
            val_every_steps: validate every this many optimizer steps (Lightning's trainer.val_check_interval
                counts micro-batches, which depend on the number of GPUs); None = as the trainer says.
        """
        super().__init__()
        for name in ("seq_len", "global_batch_size", "micro_batch_size"):
            if locals()[name] < 1:
                raise ConfigError(f"data.{name}={locals()[name]} must be positive")
        self.path, self.seq_len, self.seed = path, seq_len, seed
        self.global_batch_size, self.micro_batch_size = global_batch_size, micro_batch_size
        self.validation_fraction, self.num_workers, self.val_every_steps = (
            validation_fraction,
            num_workers,
            val_every_steps,
        )
        self.manifest = PackManifest.load(path)
        self.train_samples = self.val_samples = None

    @property
    def vocab_size(self) -> int:
        return self.manifest.tokenizer.vocab_size

    @property
    def eos_id(self) -> int:
        return self.manifest.tokenizer.eos_id

    def manifest_dict(self) -> dict:
        """The manifest as saved in checkpoints, the tokenizer's hf_dir made absolute (export finds it there)."""
        info = asdict(self.manifest)
        hf_dir = info["tokenizer"].get("hf_dir")
        if hf_dir and not os.path.isabs(hf_dir):
            folder = self.path if os.path.isdir(self.path) else os.path.dirname(self.path)
            info["tokenizer"]["hf_dir"] = os.path.abspath(os.path.join(folder, hf_dir))
        return info

    @property
    def tokens_per_step(self) -> int:
        return self.global_batch_size * self.seq_len

    def accumulation(self, world: int) -> int:
        if self.global_batch_size % (self.micro_batch_size * world):
            raise ConfigError(
                f"data.global_batch_size={self.global_batch_size} is not a multiple of "
                f"data.micro_batch_size={self.micro_batch_size} x {world} processes; change one of them"
            )
        return self.global_batch_size // (self.micro_batch_size * world)

    def load_split(self, split: str):
        return PackedSequences(self.path, self.seq_len, split, self.validation_fraction, self.seed)

    def setup(self, stage: str) -> None:
        if self.manifest.unit != self.unit:
            raise ConfigError(
                f"{self.path}: packed with unit {self.manifest.unit!r}, but {type(self).__name__} "
                f"reads unit {self.unit!r}; pack the data for this kind of model"
            )
        if self.train_samples is None:
            self.train_samples = self.load_split("train")
            self.val_samples = self.load_split("validation") if self.validation_fraction > 0 else None
        if stage == "fit" and len(self.train_samples) == 0:
            raise ConfigError(
                f"{self.path}: the training split has {self.train_samples.num_tokens} tokens, fewer "
                f"than one sequence of data.seq_len={self.seq_len} + 1; pack more data or shorten it"
            )
        if self.trainer is not None and stage == "fit":
            if self.trainer.max_steps < 1:
                raise ConfigError(
                    "trainer.max_steps is not set: pretraining runs for a number of optimizer steps "
                    f"({self.tokens_per_step:,} tokens each with this data config)"
                )
            accumulation = self.accumulation(self.trainer.world_size)
            if self.trainer.accumulate_grad_batches not in (1, accumulation):
                raise ConfigError(
                    "trainer.accumulate_grad_batches is derived from data.global_batch_size; leave it "
                    "out and set the global batch in sequences"
                )
            self.trainer.accumulate_grad_batches = accumulation
            if self.val_every_steps:
                self.trainer.val_check_interval = self.val_every_steps * accumulation

    def _loader_kwargs(self) -> dict:
        return {
            "num_workers": self.num_workers,
            "pin_memory": torch.cuda.is_available(),
            "persistent_workers": self.num_workers > 0,
        }

    def train_dataloader(self) -> DataLoader:
        t = self.trainer
        sampler = StepBatchSampler(
            self.global_batch_size, self.micro_batch_size, t.global_rank, t.world_size, t.max_steps
        )
        return ResumableLoader(self.train_dataset(), sampler, lambda: t.global_step, **self._loader_kwargs())

    def train_dataset(self) -> Dataset:
        return StreamDataset(self.train_samples)

    def val_dataloader(self) -> DataLoader | list:
        if self.val_samples is None or len(self.val_samples) == 0:
            return []
        t = self.trainer
        batches = shard_batches(len(self.val_samples), self.micro_batch_size, t.global_rank, t.world_size)
        return DataLoader(self.val_dataset(), batch_sampler=batches, **self._loader_kwargs())

    def val_dataset(self) -> Dataset:
        return _Tensors(self.val_samples)


class _Tensors(Dataset):
    def __init__(self, samples):
        self.samples = samples

    def __len__(self) -> int:
        return len(self.samples)

    def __getitem__(self, i: int) -> torch.Tensor:
        return torch.from_numpy(self.samples[i])
