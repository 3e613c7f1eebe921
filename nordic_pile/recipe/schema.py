"""The recipe file format, validated before any work starts.

```yaml
description: what this recipe is for
input:                # the reader: `format` (auto|jsonl|parquet|text|html|warc|mediawiki) and its parameters
  format: auto
  category: web
output:               # the writer of kept documents
  format: jsonl       # or parquet
  partition: "{language}/{category}"
executor:             # defaults for `nordic-pile run`; --tasks/--workers/--executor override
  tasks: 4
  slurm: {partition: cpu, time: "12:00:00"}
steps:                # in order; each item is `name: {parameters}` (or just `name:`)
  - fix_mojibake:
  - normalize_unicode: {form: NFC}
```
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field

from nordic_pile.errors import ConfigError
from nordic_pile.recipe import registry
from nordic_pile.recipe.params import check_params
from nordic_pile.recipe.yaml_lines import load_with_lines

TOP_LEVEL = ("description", "input", "output", "executor", "steps")
EXECUTOR_KEYS = {"tasks": int, "workers": int, "on_error": str, "slurm": dict, "ray": dict}
READER_SUPPLIED = ("data_folder", "glob_pattern")
WRITER_SUPPLIED = ("output_folder",)


@dataclass(frozen=True)
class StepSpec:
    name: str
    params: dict
    where: str
    """`file:line: steps[i].name`, the prefix of every error about this step."""
    param_where: dict = field(default_factory=dict, compare=False)
    """parameter -> `file:line: steps[i].name.parameter`."""


@dataclass(frozen=True)
class Recipe:
    path: str
    description: str = ""
    input: dict = field(default_factory=lambda: {"format": "auto"})
    output: dict = field(default_factory=lambda: {"format": "jsonl", "partition": "{language}/{category}"})
    executor: dict = field(default_factory=dict)
    steps: tuple[StepSpec, ...] = ()

    @property
    def input_format(self) -> str:
        return self.input.get("format", "auto")

    @property
    def reader_params(self) -> dict:
        return {k: v for k, v in self.input.items() if k != "format"}

    @property
    def writer_params(self) -> dict:
        return {k: v for k, v in self.output.items() if k not in ("format", "write_removed")}


class _Where:
    def __init__(self, path: str, lines: dict[tuple, int]):
        self.path, self.lines = path, lines

    def __call__(self, *key) -> str:
        line = None
        for n in range(len(key), -1, -1):
            if key[:n] in self.lines:
                line = self.lines[key[:n]]
                break
        name = "".join(f"[{k}]" if isinstance(k, int) else (f".{k}" if i else str(k)) for i, k in enumerate(key))
        return f"{self.path}:{line}: {name}" if line else f"{self.path}: {name}"


def _check_keys(section: dict, allowed: dict, where, *key) -> None:
    for name, value in section.items():
        if name not in allowed:
            close = difflib.get_close_matches(str(name), list(allowed), n=1)
            hint = f"did you mean {close[0]!r}? " if close else ""
            raise ConfigError(f"{where(*key, name)}: unknown key; {hint}allowed: {', '.join(allowed)}")
        if not isinstance(value, allowed[name]):
            raise ConfigError(
                f"{where(*key, name)}: expected {getattr(allowed[name], '__name__', 'a value')}, got {value!r}"
            )


def _parse_steps(raw, where) -> tuple[StepSpec, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list):
        raise ConfigError(f"{where('steps')}: expected a list of `- name: {{parameters}}` items, got {raw!r}")
    specs = []
    for i, item in enumerate(raw):
        if isinstance(item, str):
            item = {item: None}
        if not isinstance(item, dict) or len(item) != 1:
            raise ConfigError(f"{where('steps', i)}: each step is one `name: {{parameters}}` mapping, got {item!r}")
        ((name, params),) = item.items()
        params = {} if params is None else params
        if not isinstance(params, dict):
            raise ConfigError(
                f"{where('steps', i, name)}: parameters must be a mapping, got {params!r}; "
                f"write `- {name}: {{key: value}}`"
            )
        param_where = {key: where("steps", i, name, key) for key in params}
        specs.append(StepSpec(str(name), params, where("steps", i, name), param_where))
    return tuple(specs)


def parse_recipe(path: str) -> Recipe:
    """Load and check a recipe's structure and every step's parameters; raise one ConfigError line if wrong."""
    data, lines = load_with_lines(path)
    where = _Where(path, lines)
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: a recipe is a mapping with keys {', '.join(TOP_LEVEL)}")
    _check_keys(data, dict.fromkeys(TOP_LEVEL, object), where)
    sections = {}
    for name in ("input", "output", "executor"):
        value = data.get(name) or {}
        if not isinstance(value, dict):
            raise ConfigError(f"{where(name)}: expected a mapping, got {value!r}")
        sections[name] = value
    if not isinstance(sections["output"].get("write_removed", True), bool):
        raise ConfigError(f"{where('output', 'write_removed')}: expected true or false")
    _check_keys(sections["executor"], EXECUTOR_KEYS, where, "executor")
    defaults = Recipe(path)
    recipe = Recipe(
        path=path,
        description=str(data.get("description") or ""),
        input={"format": "auto"} | sections["input"],
        output=defaults.output | sections["output"],
        executor=sections["executor"],
        steps=_parse_steps(data.get("steps"), where),
    )
    validate(recipe, where)
    return recipe


def validate(recipe: Recipe, where) -> None:
    reader = registry.resolve(recipe.input_format, registry.READERS, "input format")
    check_params(
        reader,
        recipe.reader_params,
        where("input"),
        READER_SUPPLIED,
        extra=("format",),
        key_where=lambda key: where("input", key),
    )
    writer = registry.resolve(recipe.output.get("format", "jsonl"), registry.WRITERS, "output format")
    check_params(
        writer,
        recipe.writer_params,
        where("output"),
        WRITER_SUPPLIED,
        extra=("format", "write_removed"),
        key_where=lambda key: where("output", key),
    )
    on_error = recipe.executor.get("on_error", "quarantine")
    if on_error not in ("quarantine", "raise"):
        raise ConfigError(f"{where('executor', 'on_error')}: expected 'quarantine' or 'raise', got {on_error!r}")
    for spec in recipe.steps:
        try:
            cls = registry.resolve(spec.name, registry.STEPS, "step")
        except ConfigError as e:
            raise ConfigError(f"{spec.where}: {e}") from None
        check_params(cls, spec.params, spec.where, key_where=spec.param_where.get)
