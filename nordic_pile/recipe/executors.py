"""Turn a Plan's stages into datatrove executors (local, Ray or Slurm), chained by `depends`."""

from __future__ import annotations

import os
import sys
import threading
from typing import Literal

from datatrove.executor import LocalPipelineExecutor
from datatrove.utils import logging as dt_logging

from nordic_pile.errors import ConfigError, InputError
from nordic_pile.recipe.compile import Plan

ExecutorKind = Literal["local", "ray", "slurm"]
CONSOLE_FORMAT = "{level: <8} | {message}"


def start_method() -> str:
    """Local worker processes are forked from the loaded parent where that is safe: a multi-stage recipe
    (deduplication adds a dozen stages) would otherwise pay a second or more per stage to start a forkserver and
    import everything again. A parent that already runs other threads (torch's OpenMP pool, a notebook's kernel)
    can leave a lock held in the forked child, which then hangs: such a parent starts a forkserver instead.
    (Idle native pools such as OpenBLAS's, started by importing numpy, are fork-safe and do not count.)"""
    if sys.platform != "linux":
        return "spawn"
    threaded = threading.active_count() > 1 or "torch" in sys.modules
    return "forkserver" if threaded else "fork"


def console_filter(record) -> bool:
    """Leave out tracebacks of nordic-pile's own user-facing errors: the CLI prints them as one line."""
    exception = record["exception"]
    return not (exception and exception.type and issubclass(exception.type, (ConfigError, InputError)))


class _ConsoleLevel:
    """datatrove's task logger prints INFO to the console from every task; we print WARNING and up unless verbose.

    Applied inside `_run_for_rank`, so it holds in worker processes, Ray actors and Slurm jobs alike (the task log
    file under `logs/<stage>/logs/` keeps everything).
    """

    console_level: str = "WARNING"

    def _run_for_rank(self, rank: int, local_rank: int = 0, node_rank: int = -1):
        import datatrove.executor.base as base

        level = self.console_level

        def add_task_logger(logging_dir, rank, local_rank=0, node_rank=-1):
            if level == "INFO":
                return dt_logging.add_task_logger(logging_dir, rank, local_rank, node_rank)
            logfile = logging_dir.open(f"logs/task_{rank:05d}.log", "w")
            dt_logging.logger.remove()
            dt_logging.logger.add(
                sys.stderr, level=level if local_rank == 0 else "ERROR", format=CONSOLE_FORMAT, filter=console_filter
            )
            dt_logging.logger.add(logfile, level="DEBUG")
            dt_logging.logger.info(f"Launching pipeline for {rank=}")
            return logfile

        def close_task_logger(logfile):
            dt_logging.logger.complete()
            dt_logging.logger.remove()
            dt_logging.logger.add(sys.stderr, level=level, format=CONSOLE_FORMAT, filter=console_filter)
            logfile.close()

        base.add_task_logger = add_task_logger
        if level != "INFO":
            base.close_task_logger = close_task_logger
        return super()._run_for_rank(rank, local_rank, node_rank)


class NordicLocalExecutor(_ConsoleLevel, LocalPipelineExecutor):
    pass


def _ray_executor_class():
    from datatrove.executor.ray import RayPipelineExecutor

    class NordicRayExecutor(_ConsoleLevel, RayPipelineExecutor):
        pass

    return NordicRayExecutor


def _slurm_executor_class():
    from datatrove.executor.slurm import SlurmPipelineExecutor

    class NordicSlurmExecutor(_ConsoleLevel, SlurmPipelineExecutor):
        pass

    return NordicSlurmExecutor


SLURM_REQUIRED = ("partition", "time")


def build_executors(plan: Plan, kind: ExecutorKind = "local", verbose: bool = False) -> list:
    """One executor per stage, each depending on the one before; running the last runs them all."""
    options = plan.recipe.executor.get(kind, {}) if kind != "local" else {}
    if kind == "slurm":
        missing = [k for k in SLURM_REQUIRED if k not in options]
        if missing:
            raise ConfigError(
                f"{plan.recipe.path}: executor.slurm needs {', '.join(missing)} for --executor slurm "
                "(e.g. executor: {slurm: {partition: cpu, time: '12:00:00'}})"
            )
    executors: list = []
    for stage in plan.stages:
        logging_dir = os.path.join(plan.output, "logs", stage.name)
        depends = executors[-1] if executors else None
        stage_options = options | stage.options.get(kind, {})
        if kind == "local":
            ex = NordicLocalExecutor(
                stage.pipeline,
                tasks=stage.tasks,
                workers=stage.workers,
                logging_dir=logging_dir,
                depends=depends,
                start_method=start_method(),
            )
        elif kind == "ray":
            ex = _ray_executor_class()(
                stage.pipeline,
                tasks=stage.tasks,
                workers=stage.workers,
                logging_dir=logging_dir,
                depends=depends,
                **stage_options,
            )
        elif kind == "slurm":
            slurm_options = {"venv_path": os.path.join(sys.prefix, "bin", "activate")} | stage_options
            ex = _slurm_executor_class()(
                stage.pipeline,
                tasks=stage.tasks,
                logging_dir=logging_dir,
                depends=depends,
                job_name=f"nordic-pile-{stage.name}",
                slurm_logs_folder=os.path.join(logging_dir, "slurm_logs"),
                **slurm_options,
            )
        else:
            raise ConfigError(f"--executor {kind!r}: use local, ray or slurm")
        ex.console_level = "INFO" if verbose else "WARNING"
        executors.append(ex)
    return executors


def render_slurm_scripts(executors: list) -> dict[str, str]:
    """The sbatch script of every stage, without submitting anything (`--dry-run`); also saved in each logs dir."""
    scripts = {}
    for ex in executors:
        command = f"srun -l launch_pickled_pipeline {ex.logging_dir.resolve_paths('executor.pik')}"
        max_array = min(ex.tasks, ex.max_array_size) if ex.max_array_size != -1 else ex.tasks
        script = ex.get_launch_file_contents(ex.get_sbatch_args(max_array), command)
        with ex.logging_dir.open("launch_script.slurm", "w") as f:
            f.write(script)
        scripts[ex.logging_dir.path] = script
    return scripts
