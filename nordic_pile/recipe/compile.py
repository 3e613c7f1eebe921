"""Compile a validated recipe and the command-line paths into stages of datatrove pipelines.

Output layout of a run:
    OUTPUT/data/<partition>/<rank>.jsonl.gz   kept documents
    OUTPUT/removed/<step>/<rank>.jsonl.gz     removed documents with `removed_by` and `filter_reason`
    OUTPUT/quarantine/<step>/<rank>.jsonl.gz  unreadable records and documents a step failed on, with the error
    OUTPUT/work/                              intermediate data of multi-stage recipes (deduplication)
    OUTPUT/logs/<stage>/                      datatrove logs, per-task stats and completion markers
    OUTPUT/summary.json                       the accounting: read == kept + removed + quarantined
"""

from __future__ import annotations

import glob as globlib
import os
from dataclasses import dataclass

from datatrove.pipeline.base import PipelineStep

from nordic_pile.accounting.tracked import KeptCounter, TrackedStep
from nordic_pile.errors import ConfigError, InputError
from nordic_pile.readers.base import READ_STEP
from nordic_pile.recipe import registry
from nordic_pile.recipe.schema import Recipe
from nordic_pile.recipe.stage_reader import StageReader
from nordic_pile.recipe.stages import GlobalStep, Stage
from nordic_pile.writers.disk import JsonlDocWriter

GLOB_CHARS = set("*?[")


@dataclass
class Plan:
    recipe: Recipe
    input: str
    output: str
    stages: list[Stage]

    @property
    def data_dir(self) -> str:
        return os.path.join(self.output, "data")


def _has_files(folder: str) -> bool:
    return any(files for _, _, files in os.walk(folder))


def split_input(path: str) -> tuple[str, str | None]:
    """`DIR`, `FILE` or a glob such as `corpus/**/*.jsonl.gz` -> (folder, glob relative to it or None)."""
    if os.path.isdir(path):
        if not _has_files(path):
            raise InputError(f"--input {path}: the folder holds no files")
        return os.path.abspath(path), None
    if os.path.isfile(path):
        return os.path.abspath(os.path.dirname(path) or "."), os.path.basename(path)
    parts = path.split(os.sep)
    first_glob = next((i for i, part in enumerate(parts) if GLOB_CHARS & set(part)), None)
    if first_glob is None:
        raise InputError(f"--input {path}: no such file or folder")
    folder = os.sep.join(parts[:first_glob]) or "."
    if not os.path.isdir(folder):
        raise InputError(f"--input {path}: folder {folder!r} does not exist")
    if not globlib.glob(path, recursive=True):
        raise InputError(f"--input {path}: the pattern matches no file")
    return os.path.abspath(folder), os.sep.join(parts[first_glob:])


def _instantiate(cls, params: dict, where: str, **supplied):
    try:
        return cls(**supplied, **params)
    except ConfigError as e:
        raise ConfigError(f"{where}: {e}") from None
    except (TypeError, ValueError) as e:
        raise ConfigError(f"{where}: {type(e).__name__}: {e}") from None


class _Builder:
    def __init__(self, recipe: Recipe, output: str, on_error: str):
        self.recipe, self.output, self.on_error = recipe, output, on_error
        self.write_removed = recipe.output.get("write_removed", True)
        self.used_ids: set[str] = {READ_STEP}

    def step_id(self, name: str) -> str:
        base = name.rsplit(".", 1)[-1].rsplit(":", 1)[-1]
        step_id, n = base, 1
        while step_id in self.used_ids:
            n += 1
            step_id = f"{base}_{n}"
        self.used_ids.add(step_id)
        return step_id

    def side_writer(self, kind: str, step_id: str) -> JsonlDocWriter | None:
        if kind == "removed" and not self.write_removed:
            return None
        return JsonlDocWriter(os.path.join(self.output, kind, step_id), compression="gzip")

    def tracked(self, step: PipelineStep, name: str, step_id: str | None = None) -> TrackedStep:
        step_id = step_id or self.step_id(name)
        return TrackedStep(
            step,
            step_id,
            self.side_writer("removed", step_id),
            self.side_writer("quarantine", step_id),
            on_error=self.on_error,
        )


def compile_plan(
    recipe: Recipe,
    input_path: str,
    output: str,
    tasks: int | None = None,
    workers: int | None = None,
) -> Plan:
    """Instantiate every step (models load lazily, so this is quick) and arrange them in stages."""
    output = os.path.abspath(output)
    tasks = tasks or recipe.executor.get("tasks", 1)
    workers = workers or recipe.executor.get("workers", -1)
    if tasks < 1:
        raise ConfigError(f"--tasks {tasks}: must be at least 1")
    folder, glob_pattern = split_input(input_path)
    b = _Builder(recipe, output, recipe.executor.get("on_error", "quarantine"))

    reader_cls = registry.resolve(recipe.input_format, registry.READERS, "input format")
    reader = _instantiate(
        reader_cls, recipe.reader_params, f"{recipe.path}: input", data_folder=folder, glob_pattern=glob_pattern
    )
    reader.attach(b.side_writer("quarantine", READ_STEP), b.side_writer("removed", READ_STEP))

    stages: list[Stage] = []
    current: list[PipelineStep] = [reader]
    for spec in recipe.steps:
        cls = registry.resolve(spec.name, registry.STEPS, "step")
        step = _instantiate(cls, spec.params, spec.where)
        if not isinstance(step, GlobalStep):
            current.append(b.tracked(step, spec.name))
            continue
        step_id = b.step_id(spec.name)
        work_dir = os.path.join(output, "work", step_id)
        current += [b.tracked(s, f"{step_id}_collect") for s in step.before_barrier(work_dir)]
        handoff = os.path.join(output, "work", f"stage{len(stages)}")
        current.append(JsonlDocWriter(handoff, compression="zstd"))
        stages.append(Stage(f"stage{len(stages)}", current, tasks, workers))
        for barrier in step.barrier_stages(work_dir, tasks):
            if barrier.workers == -1:  # --workers / executor.workers limit every stage on this machine
                barrier.workers = workers
            stages.append(barrier)
        current = [StageReader(handoff)] + [b.tracked(s, spec.name, step_id) for s in step.after_barrier(work_dir)]

    writer_cls = registry.resolve(recipe.output.get("format", "jsonl"), registry.WRITERS, "output format")
    writer = _instantiate(
        writer_cls, recipe.writer_params, f"{recipe.path}: output", output_folder=os.path.join(output, "data")
    )
    current += [KeptCounter(), writer]
    stages.append(Stage(f"stage{len(stages)}", current, tasks, workers))
    return Plan(recipe, input_path, output, stages)
