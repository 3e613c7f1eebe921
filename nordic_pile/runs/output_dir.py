"""The output folder of a run: its fingerprint (so a resumed run is the same run) and `--overwrite`."""

from __future__ import annotations

import hashlib
import json
import os
import shutil

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


def prepare(output: str, run: dict, recipe_path: str, overwrite: bool) -> bool:
    """Create or check `output`. Returns True when an earlier, unfinished or finished run of the same recipe,
    input and task count is there (its completed tasks are skipped), False for a fresh folder."""
    marker = os.path.join(output, RUN_FILE)
    if os.path.isdir(output) and os.listdir(output):
        if not os.path.isfile(marker):
            raise ConfigError(
                f"--output {output}: the folder is not empty and holds no nordic-pile run; "
                "choose an empty or new folder"
            )
        with open(marker, encoding="utf-8") as f:
            previous = json.load(f)
        same = all(previous.get(k) == run[k] for k in ("recipe_sha256", "input", "tasks"))
        if same and not overwrite:
            return True
        if not overwrite:
            changed = [k for k in ("recipe_sha256", "input", "tasks") if previous.get(k) != run[k]]
            raise ConfigError(
                f"--output {output}: holds a run with another {', '.join(changed)}; pass --overwrite "
                "to replace it or choose another folder"
            )
        for name in OWNED:
            path = os.path.join(output, name)
            if os.path.isdir(path):
                shutil.rmtree(path)
            elif os.path.exists(path):
                os.remove(path)
    os.makedirs(output, exist_ok=True)
    with open(marker, "w", encoding="utf-8") as f:
        json.dump(run, f, indent=1)
    shutil.copyfile(recipe_path, os.path.join(output, "recipe.yaml"))
    return False
