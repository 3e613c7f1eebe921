"""On Slurm the summary is written by a last one-task job that runs after every stage has finished."""

from __future__ import annotations

import os

from datatrove.data import DocumentsPipeline
from datatrove.pipeline.base import PipelineStep

from nordic_pile.accounting.summary import write_summary


class SummaryStep(PipelineStep):
    type = "📊 - ACCOUNTING"
    name = "summary"

    def __init__(self, output: str, info: dict):
        super().__init__()
        self.output, self.info = output, info

    def run(self, data: DocumentsPipeline = None, rank: int = 0, world_size: int = 1) -> DocumentsPipeline:
        write_summary(self.output, self.info)
        yield from data or ()


def slurm_summary_executor(plan, last, info: dict):
    """A one-task Slurm job depending on `last`, writing OUTPUT/summary.json."""
    from nordic_pile.recipe.executors import _slurm_executor_class

    options = plan.recipe.executor.get("slurm", {})
    return _slurm_executor_class()(
        [SummaryStep(plan.output, info)],
        tasks=1,
        logging_dir=os.path.join(plan.output, "logs", "summary"),
        depends=last,
        job_name="nordic-pile-summary",
        cpus_per_task=1,
        slurm_logs_folder=os.path.join(plan.output, "logs", "summary", "slurm_logs"),
        **{k: v for k, v in options.items() if k not in ("cpus_per_task", "mem_per_cpu_gb")},
    )
