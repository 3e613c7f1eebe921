"""Lightning DDP on CPU (gloo): 2 processes train exactly what 1 process with gradient accumulation trains."""

from tests.pretrain.helpers import fit, fit_in_subprocess, step_losses

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
    proc = fit_in_subprocess(gpt_data, root, *SETTINGS, "--trainer.strategy=ddp", "--trainer.devices=2")
    assert proc.returncode == 0, proc.stderr[-3000:]
    output = proc.stderr + proc.stdout
    assert "Initializing distributed: GLOBAL_RANK: 1, MEMBER: 2/2" in output and "distributed_backend=gloo" in output
    two = step_losses(root)  # 2 processes x 1 micro-batch per step, gradients averaged by DDP
    assert sorted(two) == sorted(one) == list(range(6))
    for step in range(6):  # same samples and dropout masks per step; only the summation order differs
        assert abs(two[step] - one[step]) < 1e-5, (step, one[step], two[step])
    assert one[5] < one[0]
