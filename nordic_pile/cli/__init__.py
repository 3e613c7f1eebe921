"""The `nordic-pile` command. Each subcommand lives in its own module, imported only when it is used.

A subcommand module defines `configure(parser)`, which adds its arguments (or its own subcommands) and sets
`func` through `parser.set_defaults(func=...)`; `func(args)` does the work. A module may instead define
`main_argv(argv)` to parse its arguments itself (the LightningCLI-based `pretrain`).
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys

from nordic_pile import __version__
from nordic_pile.errors import AccountingError, ConfigError, InputError

COMMANDS: dict[str, tuple[str, str]] = {
    "run": ("nordic_pile.cli.run", "run a curation recipe (pipelines/*.yaml) on input files"),
    "steps": ("nordic_pile.cli.steps", "list every step a recipe can use, with its parameters"),
    "summary": ("nordic_pile.cli.summary", "print the accounting tables of a finished run"),
    "pii": ("nordic_pile.pii.cli", "find personal identifiers: `pii scan IN.jsonl OUT.jsonl` adds their spans"),
    "audit": ("nordic_pile.audit.cli", "report what a corpus or a run's output contains (HTML + JSON)"),
    "mix": ("nordic_pile.mixture.cli", "measure slices, plan a mixture's epochs, and sample the mixture"),
    "tokenizer": ("nordic_pile.tokenizer.cli", "train, evaluate and export a SentencePiece BPE tokenizer"),
    "pack": ("nordic_pile.packing.cli", "tokenise shards into Megatron .bin/.idx files with a manifest"),
    "sentences": ("nordic_pile.packing.sentences_cli", "write one sentence per line, a blank line between documents"),
    "eval": ("nordic_pile.evaluate.cli", "evaluate a model: perplexity per language (ppl), NER, POS, classification"),
    "langid": (
        "nordic_pile.lang_id.cli",
        "language identification: train a model, label a JSONL file, compare backends",
    ),
    "pretrain": ("nordic_pile.pretrain.cli", "train GPT-SW3/NorBERT-style models on packed shards; export, Slurm"),
}
"""name -> (module, one-line help). Capabilities add their commands here."""


def _top_parser() -> argparse.ArgumentParser:
    width = max(map(len, COMMANDS))
    listing = "\n".join(f"  {name.ljust(width)}  {help_}" for name, (_, help_) in COMMANDS.items())
    parser = argparse.ArgumentParser(
        prog="nordic-pile",
        description="Clean, deduplicated, weighted pretraining data from Nordic text.",
        epilog=f"commands:\n{listing}\n\nRun `nordic-pile COMMAND --help` for the options of a command.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        usage="nordic-pile [--version] COMMAND ...",
    )
    parser.add_argument("--version", action="version", version=f"nordic-pile {__version__}")
    parser.add_argument("command", nargs="?", help=argparse.SUPPRESS)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    top = _top_parser()
    if not argv or argv[0] not in COMMANDS:
        if argv and not argv[0].startswith("-"):
            top.error(f"unknown command {argv[0]!r}; commands: {', '.join(COMMANDS)}")
        top.parse_args(argv)
        top.print_help()
        return 0 if not argv else 2
    name, rest = argv[0], argv[1:]
    module = importlib.import_module(COMMANDS[name][0])
    try:
        if hasattr(module, "main_argv"):
            return module.main_argv(rest) or 0
        parser = argparse.ArgumentParser(
            prog=f"nordic-pile {name}",
            description=COMMANDS[name][1],
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        module.configure(parser)
        args = parser.parse_args(rest)
        if not hasattr(args, "func"):
            parser.print_help()
            return 2
        return args.func(args) or 0
    except (ConfigError, InputError, AccountingError) as e:  # real bugs keep their traceback
        print(f"nordic-pile {name}: error: {e}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # `nordic-pile steps | head`: the reader left, which is no error
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except KeyboardInterrupt:
        print(f"nordic-pile {name}: interrupted; run the same command again to resume", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
