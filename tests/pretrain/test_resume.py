"""A run killed without warning and resumed from its last checkpoint continues the same loss curve, step for step."""

import json
import signal

import torch

from tests.pretrain.helpers import fit, fit_in_subprocess, step_losses

# dropout on (the RNG matters), gradient accumulation (2 micro-batches per step), validation in between
SETTINGS = [
    "--trainer.max_steps=12",
    "--checkpoint.every_n_train_steps=4",
    "--model.config.dropout=0.1",
    "--data.micro_batch_size=4",
    "--data.global_batch_size=8",
    "--trainer.val_check_interval=6",
    "--trainer.limit_val_batches=2",
]


def test_killed_and_resumed_run_continues_the_same_loss_curve(gpt_data, tmp_path):
    straight = step_losses(fit(gpt_data, tmp_path / "straight", *SETTINGS))
    assert sorted(straight) == list(range(12))

    killed = tmp_path / "killed"
    kill = json.dumps({"class_path": "tests.pretrain.helpers.KillAtStep", "init_args": {"step": 10}})
    proc = fit_in_subprocess(gpt_data, killed, *SETTINGS, f"--trainer.callbacks+={kill}")
    assert proc.returncode == -signal.SIGKILL, proc.stderr[-3000:]
    last = torch.load(killed / "checkpoints" / "last.ckpt", map_location="cpu", weights_only=True)
    assert last["global_step"] == 8  # the kill came at step 10, two steps after the last checkpoint

    fit(gpt_data, killed, *SETTINGS, "--ckpt_path=last")
    resumed = step_losses(killed)
    assert set(range(8, 12)) <= set(resumed)
    for step in range(8, 12):  # bit for bit: same samples, same dropout masks, same optimizer state
        assert resumed[step] == straight[step], (step, resumed[step], straight[step])
    earlier = {s: v for s, v in resumed.items() if s < 8}  # whatever the killed run had flushed to its log
    assert all(straight[s] == v for s, v in earlier.items())
