"""Running `nordic-pile pretrain` in-process and reading its logs."""

from __future__ import annotations

import os
import signal
import subprocess
from pathlib import Path

from lightning.pytorch import Callback

from nordic_pile.pretrain.cli import main_argv
from nordic_pile.pretrain.summary import read_metrics
from tests.engine.helpers import cli_command
from tests.pretrain.fixtures import env_with_repo

TINY = ["--config", "gpt_tiny", "--trainer.enable_progress_bar=false", "--trainer.enable_model_summary=false"]


def fit(data: Path, root: Path, *extra: str, command: tuple[str, ...] = ("fit",), config=TINY) -> Path:
    main_argv([*command, *config, "--data.path", str(data), "--trainer.default_root_dir", str(root), *extra])
    return root


def step_losses(root: Path) -> dict[int, float]:
    """train/loss per optimizer step over every CSV log of a run folder (restarts write new versions)."""
    return {int(r["step"]): r["train/loss"] for r in read_metrics(str(root)) if "train/loss" in r}


class KillAtStep(Callback):
    """Test-only: SIGKILL this process once `step` optimizer steps are done (no cleanup, as a crash or a
    pre-emption without warning)."""

    def __init__(self, step: int):
        self.step = step

    def on_train_batch_end(self, trainer, pl_module, outputs, batch, batch_idx) -> None:
        if trainer.global_step >= self.step:
            os.kill(os.getpid(), signal.SIGKILL)


def fit_in_subprocess(data: Path, root: Path, *extra: str) -> subprocess.CompletedProcess:
    """`nordic-pile pretrain fit` as its own process (to kill it, or to let Lightning launch DDP ranks)."""
    command = cli_command("pretrain", "fit", *TINY, "--data.path", data, "--trainer.default_root_dir", root, *extra)
    return subprocess.run(command, env=env_with_repo(), capture_output=True, text=True, timeout=300)
