"""Lightning DDP on CPU (gloo): 2 processes train exactly what 1 process with gradient accumulation trains."""

import subprocess
import sys

from tests.pretrain.fixtures import env_with_repo
from tests.pretrain.helpers import TINY, fit, step_losses

SETTINGS = [
    "--trainer.max_steps=6",
    "--model.config.dropout=0.1",
    "--data.micro_batch_size=4",
    "--data.global_batch_size=8",
    "--trainer.limit_val_batches=0",
    "--checkpoint.every_n_train_steps=3",
]


def test_ddp_on_two_cpu_processes_matches_one_process_with_accumulation(gpt_data, tmp_path):
    one = step_losses(fit(gpt_data, tmp_path / "one", *SETTINGS))  # 1 process x 2 micro-batches per step
    root = tmp_path / "two"
    command = [
        sys.executable,
        "-m",
        "nordic_pile.cli",
        "pretrain",
        "fit",
        *TINY,
        "--data.path",
        str(gpt_data),
        "--trainer.default_root_dir",
        str(root),
        *SETTINGS,
        "--trainer.strategy=ddp",
        "--trainer.devices=2",
    ]
    proc = subprocess.run(command, env=env_with_repo(), capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "Initializing distributed: GLOBAL_RANK: 1, MEMBER: 2/2" in proc.stderr + proc.stdout
    two = step_losses(root)  # 2 processes x 1 micro-batch per step, gradients averaged by DDP
    assert sorted(two) == sorted(one) == list(range(6))
    for step in range(6):  # same samples and dropout masks per step; only the summation order differs
        assert abs(two[step] - one[step]) < 1e-5, (step, one[step], two[step])
    assert one[5] < one[0]
