"""The output folder of a run: its fingerprint (so a resumed run is the same run) and `--overwrite`."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from collections.abc import Callable, Sequence

from nordic_pile import __version__
from nordic_pile.errors import ConfigError

RUN_FILE = "run.json"
OWNED = ("data", "removed", "quarantine", "work", "logs", "summary.json", "recipe.yaml", RUN_FILE)
"""What a run writes into its output folder; `--overwrite` removes these and nothing else."""


def fingerprint(recipe_path: str, input_path: str, tasks: int) -> dict:
    with open(recipe_path, "rb") as f:
        recipe_sha = hashlib.sha256(f.read()).hexdigest()
    return {
        "recipe": os.path.abspath(recipe_path),
        "recipe_sha256": recipe_sha,
        "input": os.path.abspath(input_path),
        "tasks": tasks,
        "nordic_pile": __version__,
    }


def claim(
    folder: str,
    marker_name: str,
    record: dict,
    owned: Sequence[str],
    overwrite: bool,
    holder: str,
    described: Callable[[dict], str],
    keys: Sequence[str] | None = None,
) -> bool:
    """Create `folder`, or check that its marker file (`marker_name`) records the same job as `record` (on `keys`,
    default every key). Returns True when an earlier run of that job is there, to be resumed. A folder of something
    else is refused (`holder` names what it should hold); one of another job is refused unless `overwrite`, which
    removes `owned` and the marker, and nothing else. `described(previous)` phrases the other job in the error."""
    marker = os.path.join(folder, marker_name)
    if os.path.isdir(folder) and os.listdir(folder):
        if not os.path.isfile(marker):
            raise ConfigError(
                f"--output {folder}: the folder is not empty and holds no {holder}; choose an empty or new folder"
            )
        with open(marker, encoding="utf-8") as f:
            previous = json.load(f)
        changed = [k for k in keys or sorted(set(previous) | set(record)) if previous.get(k) != record.get(k)]
        if not changed and not overwrite:
            return True
        if not overwrite:
            raise ConfigError(
                f"--output {folder}: holds {described(previous)} another {', '.join(changed)}; pass --overwrite "
                "to replace it or choose another folder"
            )
        for name in (*owned, marker_name):
            path = os.path.join(folder, name)
            if os.path.isdir(path):
                shutil.rmtree(path)
            elif os.path.exists(path):
                os.remove(path)
    os.makedirs(folder, exist_ok=True)
    return False


def prepare(output: str, run: dict, recipe_path: str, overwrite: bool) -> bool:
    """Create or check `output`. Returns True when an earlier, unfinished or finished run of the same recipe,
    input and task count is there (its completed tasks are skipped), False for a fresh folder."""
    keys = ("recipe_sha256", "input", "tasks")
    if claim(output, RUN_FILE, run, OWNED, overwrite, "nordic-pile run", lambda _: "a run with", keys):
        return True
    with open(os.path.join(output, RUN_FILE), "w", encoding="utf-8") as f:
        json.dump(run, f, indent=1)
    shutil.copyfile(recipe_path, os.path.join(output, "recipe.yaml"))
    return False
