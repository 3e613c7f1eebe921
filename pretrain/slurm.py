"""An sbatch script for `nordic-pile pretrain fit` on N nodes x G GPUs. Lightning reads the Slurm environment
(SLURM_NTASKS, SLURM_PROCID, the node list) when there is one task per GPU, so srun starts every rank."""

from __future__ import annotations

import shlex
from dataclasses import dataclass, field

from nordic_pile.errors import ConfigError


@dataclass(frozen=True)
class SlurmJob:
    nodes: int
    gpus_per_node: int
    fit_args: list[str] = field(default_factory=list)
    job_name: str = "nordic-pile-pretrain"
    partition: str | None = None
    account: str | None = None
    time: str = "2-00:00:00"
    cpus_per_task: int = 8
    bert: bool = False
    setup: str = ""

    def __post_init__(self):
        if self.nodes < 1 or self.gpus_per_node < 1:
            raise ConfigError(f"--nodes={self.nodes} and --gpus-per-node={self.gpus_per_node} must be positive")
        for flag in ("--trainer.num_nodes", "--trainer.devices"):
            if any(a == flag or a.startswith(flag + "=") for a in self.fit_args):
                raise ConfigError(f"{flag} is set from --nodes/--gpus-per-node; leave it out of the fit arguments")


def render(job: SlurmJob) -> str:
    """The script text. The fit command gets --trainer.num_nodes/devices/accelerator/strategy from the job size
    (DDP; give --trainer.strategy in the fit arguments or the config for FSDP)."""
    lines = [
        "#!/bin/bash",
        f"#SBATCH --job-name={job.job_name}",
        f"#SBATCH --nodes={job.nodes}",
        f"#SBATCH --ntasks-per-node={job.gpus_per_node}",
        f"#SBATCH --gpus-per-node={job.gpus_per_node}",
        f"#SBATCH --cpus-per-task={job.cpus_per_task}",
        f"#SBATCH --time={job.time}",
        "#SBATCH --output=%x-%j.out",
    ]
    if job.partition:
        lines.append(f"#SBATCH --partition={job.partition}")
    if job.account:
        lines.append(f"#SBATCH --account={job.account}")
    lines += [
        "#SBATCH --signal=SIGUSR1@120  # Lightning saves a checkpoint and requeues the job on this signal",
        "#SBATCH --requeue",
        "",
        "set -euo pipefail",
    ]
    if job.setup:
        lines += ["", job.setup.rstrip()]
    command = [
        "nordic-pile",
        "pretrain",
        *(["bert"] if job.bert else []),
        "fit",
        *job.fit_args,
        f"--trainer.num_nodes={job.nodes}",
        f"--trainer.devices={job.gpus_per_node}",
        "--trainer.accelerator=gpu",
    ]
    if not any(a.startswith("--trainer.strategy") for a in job.fit_args):
        command.append("--trainer.strategy=ddp")
    if not any(a.startswith("--ckpt_path") for a in job.fit_args):
        command.append("--ckpt_path=last")  # a requeued or resubmitted job continues where it stopped
    lines += [
        "",
        "export NCCL_ASYNC_ERROR_HANDLING=1",
        f"# {job.nodes} node(s) x {job.gpus_per_node} GPU(s) = {job.nodes * job.gpus_per_node} ranks",
        "srun --kill-on-bad-exit=1 " + " ".join(shlex.quote(a) for a in command),
        "",
    ]
    return "\n".join(lines)
