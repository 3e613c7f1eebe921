"""LightningCLI with this project's defaults: bf16 where the GPU has it, CSV and TensorBoard logs and periodic
checkpoints under `trainer.default_root_dir`, the resumable step-based sampler, throughput and MFU logging."""

from __future__ import annotations

import os

import torch
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.cli import LightningCLI
from lightning.pytorch.loggers import CSVLogger, TensorBoardLogger

from nordic_pile.pretrain.callbacks import SpeedMonitor


def auto_precision() -> str:
    """bf16 mixed precision on GPUs that have it (A100, H100, ...), else full fp32."""
    return "bf16-mixed" if torch.cuda.is_available() and torch.cuda.is_bf16_supported() else "32-true"


class PretrainCLI(LightningCLI):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("trainer_defaults", {"callbacks": [SpeedMonitor()]})
        kwargs.setdefault("save_config_kwargs", {"overwrite": True})
        kwargs.setdefault("seed_everything_default", 1234)
        super().__init__(*args, **kwargs)

    def add_arguments_to_parser(self, parser) -> None:
        parser.add_lightning_class_args(ModelCheckpoint, "checkpoint")
        parser.set_defaults(
            {
                "checkpoint.every_n_train_steps": 1000,
                "checkpoint.save_last": True,
                "checkpoint.save_top_k": 1,
                "trainer.default_root_dir": "runs/pretrain",
                "trainer.precision": auto_precision(),
                "trainer.use_distributed_sampler": False,  # the data module shards batches itself (data.py)
                "trainer.log_every_n_steps": 10,
            }
        )

    def before_instantiate_classes(self) -> None:
        config = self.config[self.subcommand] if self.subcommand else self.config
        root = config.trainer.default_root_dir
        if config.checkpoint.dirpath is None:  # one place for every restart, so `--ckpt_path last` finds it
            config.checkpoint.dirpath = os.path.join(root, "checkpoints")

    def instantiate_trainer(self, **kwargs):
        config = self.config_init[self.subcommand] if self.subcommand else self.config_init
        if config.trainer.logger is None:  # not configured: CSV and TensorBoard side by side
            root = config.trainer.default_root_dir
            kwargs["logger"] = [CSVLogger(root, name="csv"), TensorBoardLogger(root, name="tensorboard")]
        return super().instantiate_trainer(**kwargs)
