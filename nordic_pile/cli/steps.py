"""`nordic-pile steps`: every reader, step and writer a recipe can name, with its purpose and parameters."""

from __future__ import annotations

import argparse
import inspect
import textwrap

SUPPLIED = {"data_folder", "glob_pattern", "output_folder"}


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("name", nargs="?", help="show one step in full (its whole docstring)")
    parser.set_defaults(func=list_steps)


def _purpose(cls) -> str:
    """The first paragraph of the class docstring, on one line."""
    doc = (inspect.getdoc(cls) or "").strip()
    return " ".join(doc.split("\n\n")[0].split()) if doc else "(no description)"


def _params(cls) -> list[str]:
    from nordic_pile.recipe.params import describe, signature_params, type_hints

    hints = type_hints(cls)
    out = []
    for name, p in signature_params(cls).items():
        if name in SUPPLIED:
            continue
        kind = describe(hints.get(name, p.annotation)) if name in hints or p.annotation is not p.empty else ""
        default = "required" if p.default is p.empty else f"default {p.default!r}"
        out.append(f"{name} ({kind}; {default})" if kind else f"{name} ({default})")
    return out


def list_steps(args: argparse.Namespace) -> int:
    from nordic_pile.recipe import registry

    sections = (
        ("input formats (input.format)", registry.READERS),
        ("steps (steps:)", registry.STEPS),
        ("output formats (output.format)", registry.WRITERS),
    )
    if args.name:
        for _, table in sections:
            if args.name in table:
                cls = registry.resolve(args.name, table, "step")
                print(f"{args.name}: {table[args.name]}\n\n{inspect.getdoc(cls)}\n\nparameters:")
                for line in _params(cls):
                    print(f"  {line}")
                return 0
        registry.resolve(args.name, registry.STEPS, "step")  # raises with suggestions
        return 2
    for title, table in sections:
        print(f"{title}:")
        for name in table:
            cls = registry.resolve(name, table, "step")
            print(textwrap.fill(f"{name}: {_purpose(cls)}", 116, initial_indent="  ", subsequent_indent="      "))
            params = _params(cls)
            if params:
                print(
                    textwrap.fill(
                        "; ".join(params), 116, initial_indent="      parameters: ", subsequent_indent="        "
                    )
                )
        print()
    print("Any datatrove step can be named by its import path, e.g. datatrove.pipeline.filters.GopherQualityFilter.")
    return 0
