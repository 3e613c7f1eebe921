"""`nordic-pile langid train|predict|eval`: train a language-ID model, label a JSONL file, compare backends."""

from __future__ import annotations

import argparse
import os
import sys


def configure(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(title="subcommands", metavar="{train,predict,eval}")

    p = sub.add_parser(
        "train",
        help="train a fastText language-ID model from labelled text",
        description="Train a quantised fastText model from a recipe (--recipe) or from labelled "
        "files (JSONL with text + lang/language, CSV language,sentence, CoNLL-U with "
        "--language). One thread and the same seed give the same bytes.",
    )
    p.add_argument("files", nargs="*", help="labelled files (without --recipe)")
    p.add_argument(
        "--recipe",
        help="a training recipe (YAML), e.g. nordic_pile/lang_id/models/"
        "nordic-langid.train.yaml, which rebuilds the shipped model",
    )
    p.add_argument(
        "--data",
        action="append",
        help="folder the recipe's relative paths start from (default: .); repeat it for several folders, the first "
        "that holds a file is used",
    )
    p.add_argument("--output", required=True, help="model file to write (.ftz); its metadata goes to .json")
    p.add_argument("--seed", type=int, help="override the recipe's seed")
    p.add_argument(
        "--threads",
        type=int,
        default=1,
        help="fastText threads (default 1; more is faster but the bytes then differ run to run)",
    )
    for name, kind in (("dim", int), ("epoch", int), ("minn", int), ("maxn", int), ("lr", float)):
        p.add_argument(f"--{name}", type=kind, help=f"fastText {name} (files mode)")
    p.set_defaults(func=train_command)

    p = sub.add_parser("predict", help="copy a JSONL file, adding language and language_score to every record")
    p.add_argument("input", help="JSONL input (.jsonl, .jsonl.gz, .jsonl.zst)")
    p.add_argument("output", help="JSONL output (compressed by its extension)")
    p.add_argument(
        "--backend", default="nordic", help="nordic (default), lid176, glotlid, openlid, lingua, pycld2, langid"
    )
    p.add_argument("--model", help="model file for a fastText backend")
    p.add_argument("--text-key", default="text", help="field holding the text (default: text)")
    p.add_argument("--batch-size", type=int, default=1024)
    p.set_defaults(func=predict_command)

    p = sub.add_parser(
        "eval",
        help="accuracy, macro-F1, precision/recall, confusion and speed of every backend",
        description="Evaluate on labelled files: CSV with language,sentence (NordicDSL's layout) or "
        "JSONL with text and lang/language. Every installed backend runs side by side.",
    )
    p.add_argument("files", nargs="+")
    p.add_argument("--backends", help="comma-separated backends (default: every installed one)")
    p.add_argument("--model", help="model file for the nordic backend")
    p.add_argument("--limit", type=int, default=0, help="evaluate the first N texts of each file (0: all)")
    p.add_argument("--json", help="also write the figures to this JSON file")
    p.set_defaults(func=eval_command)


def train_command(args: argparse.Namespace) -> int:
    from nordic_pile.errors import ConfigError
    from nordic_pile.lang_id.recipe import load_recipe, recipe_for_files
    from nordic_pile.lang_id.training import train

    if bool(args.recipe) == bool(args.files):
        raise ConfigError("give either --recipe RECIPE.yaml or labelled FILES to train on")
    if args.threads < 1:
        raise ConfigError(f"--threads {args.threads}: must be at least 1")
    if args.recipe:
        recipe = load_recipe(args.recipe)
        if args.seed is not None:
            from dataclasses import replace

            recipe = replace(recipe, seed=args.seed)
        data = tuple(args.data or ["."])
    else:
        overrides = {
            k: getattr(args, k) for k in ("seed", "dim", "epoch", "minn", "maxn", "lr") if getattr(args, k) is not None
        }
        recipe, data = recipe_for_files([os.path.abspath(f) for f in args.files], **overrides), "."
    meta = train(recipe, data, args.output, threads=args.threads, recipe_path=args.recipe or "")
    print(
        f"wrote {args.output} ({os.path.getsize(args.output):,} bytes, sha256 "
        f"{meta['training']['model_sha256'][:16]}...) and {os.path.splitext(args.output)[0]}.json"
    )
    return 0


def predict_command(args: argparse.Namespace) -> int:
    from nordic_pile.lang_id.backends import get_backend
    from nordic_pile.lang_id.predict_file import predict_file

    backend = get_backend(args.backend, args.model)
    counts = predict_file(backend, args.input, args.output, args.text_key, args.batch_size)
    print(
        f"{args.output}: {sum(counts.values()):,} records; "
        + ", ".join(f"{k} {v:,}" for k, v in counts.most_common(12))
    )
    return 0


def eval_command(args: argparse.Namespace) -> int:
    import json

    from nordic_pile.lang_id import evaluation as ev
    from nordic_pile.lang_id.backends import available_backends, get_backend
    from nordic_pile.lang_id.corpus import read_units

    items = []
    for file in args.files:
        units = [(u.language, u.text) for u in read_units(file)]
        items += units[: args.limit] if args.limit else units
    names = args.backends.split(",") if args.backends else available_backends()
    results = []
    for name in names:
        backend = get_backend(name.strip(), args.model if name.strip() == "nordic" else None)
        results.append(ev.evaluate(name.strip(), backend, items))
        print(f"{name}: done in {results[-1].seconds:.1f}s", file=sys.stderr)
    print(ev.summary_table(results), ev.per_language_table(results), *map(ev.confusion_table, results), sep="\n\n")
    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump([ev.as_json(r) for r in results], f, indent=1)
    return 0
