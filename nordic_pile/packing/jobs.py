"""Per-file jobs on datatrove executors, and the output folders they write into.

A job turns each input file into its own outputs (a packed shard, a sentence file, a sample), so the bytes do not
depend on the number of tasks: rank r of n handles files r, r+n, r+2n, ... A file whose outputs are complete is
skipped, and datatrove skips completed tasks, so a killed command finishes correctly when it is run again. The
output folder records what produced it (`job.json`); another input or setting is refused unless `--overwrite`.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Sequence

from datatrove.pipeline.base import PipelineStep

from nordic_pile.errors import ConfigError
from nordic_pile.runs.output_dir import claim


class FileJob:
    """What to do with one input file. Subclasses must pickle (load models lazily) and write outputs atomically."""

    def done(self, index: int, file) -> bool:
        raise NotImplementedError

    def process(self, index: int, file, step: PipelineStep) -> None:
        raise NotImplementedError


class FileMapStep(PipelineStep):
    """Run a FileJob on this rank's share of the input files."""

    name = "file-map"
    type = "🔁 - JOB"

    def __init__(self, files: Sequence, job: FileJob):
        super().__init__()
        self.files, self.job = list(files), job

    def run(self, data=None, rank: int = 0, world_size: int = 1):
        for index in range(rank, len(self.files), world_size):
            file = self.files[index]
            if self.job.done(index, file):
                self.stat_update("files_skipped_complete")
                continue
            with self.track_time():
                self.job.process(index, file, self)
            self.stat_update("files")
        if data:
            yield from data


def run_steps(
    steps: list[PipelineStep], tasks: int, workers: int, logging_dir: str, verbose: bool = False, depends=None
):
    """Run a pipeline on the local datatrove executor (completed tasks in `logging_dir` are skipped)."""
    from datatrove.utils.logging import logger

    from nordic_pile.recipe.executors import CONSOLE_FORMAT, NordicLocalExecutor

    logger.remove()
    logger.add(sys.stderr, level="INFO" if verbose else "WARNING", format=CONSOLE_FORMAT)
    if tasks < 1:
        raise ConfigError(f"--tasks {tasks} must be at least 1")
    executor = NordicLocalExecutor(
        steps,
        tasks=tasks,
        workers=min(workers if workers > 0 else tasks, tasks),
        logging_dir=logging_dir,
        depends=depends,
    )
    executor.console_level = "INFO" if verbose else "WARNING"
    return executor


def default_tasks(n_files: int) -> int:
    return max(1, min(n_files, os.cpu_count() or 1))


JOB_FILE = "job.json"


def prepare_output(folder: str, fingerprint: dict, owned: Sequence[str], overwrite: bool, command: str) -> bool:
    """Create `folder` or check that it holds the same job. Returns True when resuming an earlier run of it."""

    def described(previous: dict) -> str:
        return f"`{previous.get('command', '?')}` output made with"

    if claim(folder, JOB_FILE, fingerprint, owned, overwrite, f"`{command}` output", described):
        return True
    marker = os.path.join(folder, JOB_FILE)
    with open(marker + ".partial", "w", encoding="utf-8") as f:
        json.dump(fingerprint, f, indent=1, sort_keys=True)
    os.replace(marker + ".partial", marker)
    return False


def write_json(path: str, data, indent: int | None = 1) -> None:
    """Write JSON atomically (a `.partial` renamed when complete)."""
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    with open(path + ".partial", "w", encoding="utf-8") as f:
        json.dump(data, f, indent=indent, sort_keys=True, ensure_ascii=False)
        f.write("\n")
    os.replace(path + ".partial", path)


def read_json(path: str):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def input_fingerprint(files: Sequence) -> list[list]:
    """What identifies the input: every file's path, size and modification time."""
    out = []
    for f in files:
        st = os.stat(f.full)
        out.append([os.path.abspath(f.full), st.st_size, int(st.st_mtime)])
    return out


class QuarantineFile:
    """Unreadable input lines of one task or file, as JSON lines `{text, id, metadata}` naming the file, the line and
    the error (the form `nordic-pile run` uses); the file exists only if something was quarantined."""

    def __init__(self, path: str, step: str):
        self.path, self.step, self.count = path, step, 0
        self._f = None

    def add(self, shard: str, item) -> None:
        import orjson

        from nordic_pile.readers.base import QuarantineWriter

        doc = QuarantineWriter.entry(shard, "line", item, step=self.step)
        if self._f is None:
            os.makedirs(os.path.dirname(self.path), exist_ok=True)
            self._f = open(self.path + ".partial", "wb")
        self._f.write(orjson.dumps({"text": doc.text, "id": doc.id, "metadata": doc.metadata}) + b"\n")
        self.count += 1

    def close(self) -> None:
        if self._f is not None:
            self._f.close()
            os.replace(self.path + ".partial", self.path)
            self._f = None


def add_counts(total: dict, part: dict) -> dict:
    """Add the numbers of `part` into `total`, key by key, at any depth (per-slice and per-language records)."""
    for key, value in part.items():
        if isinstance(value, dict):
            add_counts(total.setdefault(key, {}), value)
        elif isinstance(value, (int, float)) and not isinstance(value, bool):
            total[key] = total.get(key, 0) + value
    return total
