"""`nordic-pile tokenizer train|eval|export`: a SentencePiece BPE tokenizer with GPT-SW3's settings."""

from __future__ import annotations

import argparse
import os
import sys

from nordic_pile.packing.cli import add_executor_args

EXAMPLES = """Examples:
  nordic-pile tokenizer train curated/ --plan plan.json --output tok/            # 64k, 1% of the mixture
  nordic-pile tokenizer train mixture/ --output tok/ --vocab-size 32000 --fraction 0.05
  nordic-pile tokenizer eval --tokenizer tok/ --tokenizer other-hf-dir/ curated/
  nordic-pile tokenizer export tok/tokenizer.model --output tok-hf/
"""


def configure(parser: argparse.ArgumentParser) -> None:
    parser.epilog = EXAMPLES
    sub = parser.add_subparsers(title="subcommands", metavar="{train,eval,export}")

    t = sub.add_parser(
        "train",
        help="train on a sample drawn with the mixture weights",
        description="Train a SentencePiece BPE tokenizer (GPT-SW3's settings by default) on a sample "
        "of the mixture, export it for Hugging Face and check that both encode alike.",
    )
    t.add_argument("inputs", nargs="+", help="curated output (with --plan) or a `mix sample` output")
    t.add_argument("--output", "-o", required=True, help="output folder: tokenizer.model, hf/, training.json")
    t.add_argument("--plan", help="a `mix plan` JSON: sample each slice by its epochs (without: every document alike)")
    t.add_argument("--fraction", type=float, default=0.01, help="share of the mixture to sample (0.01 = 1%%)")
    t.add_argument("--vocab-size", type=int, default=64_000)
    t.add_argument("--model-type", choices=("bpe", "unigram"), default="bpe")
    t.add_argument("--character-coverage", type=float, default=0.9999)
    t.add_argument(
        "--input-sentence-size",
        type=int,
        default=10_000_000,
        help="lines the trainer keeps, a seeded random subset (bounds memory, ~1-2 GB per 10M)",
    )
    t.add_argument("--max-line-bytes", type=int, default=16_384, help="longer lines are cut at a space")
    t.add_argument(
        "--train-extremely-large-corpus",
        action="store_true",
        help="sentencepiece's flag for very large samples (more memory)",
    )
    t.add_argument("--no-code-tokens", action="store_true", help="no <|code:LANGUAGE|> control tokens")
    t.add_argument("--no-whitespace-tokens", action="store_true", help="no user-defined whitespace-run tokens")
    t.add_argument("--seed", type=int, default=1234)
    t.add_argument("--keep-sample", action="store_true", help="keep the sampled training text in sample/")
    t.add_argument("--no-export", action="store_true", help="skip the Hugging Face export")
    t.add_argument("--overwrite", action="store_true", help="replace an earlier tokenizer in --output")
    add_executor_args(t)
    t.set_defaults(func=run_train)

    e = sub.add_parser(
        "eval",
        help="fertility, chars/token, unknown and byte-fallback rates, continued words",
        description="Compare tokenizers on the same text, per language.",
    )
    e.add_argument("inputs", nargs="+", help="curated output or JSONL folders/files/globs")
    e.add_argument(
        "--tokenizer",
        "-t",
        action="append",
        required=True,
        help="a .model, a `tokenizer train` folder, or a Hugging Face tokenizer folder; repeat to compare",
    )
    e.add_argument("--max-chars-per-language", type=int, default=1_000_000)
    e.add_argument("--format", choices=("table", "csv", "markdown", "json"), default="table")
    e.add_argument("--output", "-o", help="write to this file instead of standard output")
    e.set_defaults(func=run_eval)

    x = sub.add_parser(
        "export",
        help="a Hugging Face fast tokenizer folder that encodes like the .model",
        description="Export a SentencePiece BPE model for transformers.AutoTokenizer and check it.",
    )
    x.add_argument("model", help="a SentencePiece .model (or a `tokenizer train` folder)")
    x.add_argument("--output", "-o", required=True, help="the Hugging Face tokenizer folder to write")
    x.add_argument(
        "--check",
        nargs="*",
        default=[],
        help="JSONL inputs whose documents the check encodes with both tokenizers (always: built-in edge cases)",
    )
    x.set_defaults(func=run_export)


def _settings(args):
    from nordic_pile.tokenizer.settings import CODE_LANGUAGES, WHITESPACE_RUNS, TokenizerSettings

    return TokenizerSettings(
        vocab_size=args.vocab_size,
        model_type=args.model_type,
        character_coverage=args.character_coverage,
        input_sentence_size=args.input_sentence_size,
        max_sentence_length=args.max_line_bytes,
        train_extremely_large_corpus=args.train_extremely_large_corpus,
        seed=args.seed,
        code_languages=() if args.no_code_tokens else CODE_LANGUAGES,
        user_defined_symbols=() if args.no_whitespace_tokens else WHITESPACE_RUNS,
    )


def run_train(args: argparse.Namespace) -> int:
    from nordic_pile.mixture.tables import load_plan
    from nordic_pile.tokenizer.build import build_tokenizer

    settings = _settings(args)
    plan = load_plan(args.plan) if args.plan else None
    info = build_tokenizer(
        args.inputs,
        args.output,
        settings,
        plan,
        args.fraction,
        args.tasks,
        args.workers,
        args.overwrite,
        args.keep_sample,
        not args.no_export and args.model_type == "bpe",
        args.verbose,
    )
    print(
        f"trained on {info['sample_lines']:,} lines: "
        + ", ".join(f"{lang} {c['bytes'] / 1e6:.1f} MB" for lang, c in info["sample_languages"].items())
    )
    print(
        f"tokenizer: {os.path.join(args.output, 'tokenizer.model')} (sha256 {info['sha256'][:16]}…, "
        f"vocabulary {info['special_ids']['vocab_size']:,})"
    )
    check = info.get("hf_export")
    if check:
        print(
            f"Hugging Face export: {os.path.join(args.output, 'hf')} ({check['checked_texts']:,} texts checked, "
            f"{check['mismatches']} encoded differently)"
        )
        if check["mismatches"]:
            print(
                f"warning: the export encodes {check['mismatches']} text(s) differently from sentencepiece, e.g. "
                f"{check['examples'][0]!r}",
                file=sys.stderr,
            )
            return 1
    return 0


def run_eval(args: argparse.Namespace) -> int:
    from nordic_pile.mixture.render import Column, integer, number, percent, render_rows, to_json
    from nordic_pile.tokenizer.evaluate import evaluate

    result = evaluate(args.tokenizer, args.inputs, args.max_chars_per_language)
    rows = [
        {"language": language, "tokenizer": name} | stats.summary()
        for language, by in result["languages"].items()
        for name, stats in by.items()
    ]
    if args.format == "json":
        text = to_json({"tokenizers": result["tokenizers"], "results": rows})
    else:
        columns = [
            Column("language", "language", left=True),
            Column("tokenizer", "tokenizer", left=True),
            Column("documents", "docs", integer),
            Column("words", "words", integer),
            Column("tokens", "tokens", integer),
            Column("fertility", "fertility", number(3)),
            Column("chars_per_token", "chars/token", number(2)),
            Column("continued_word_rate", "continued words", percent(1)),
            Column("unknown_rate", "unknown", percent(3)),
            Column("byte_fallback_rate", "byte fallback", percent(3)),
        ]
        text = render_rows(rows, columns, args.format)
    if args.output:
        with open(args.output, "w", encoding="utf-8") as f:
            f.write(text + "\n")
    else:
        print(text)
    return 0


def run_export(args: argparse.Namespace) -> int:
    from nordic_pile.tokenizer.build import EDGE_CASES
    from nordic_pile.tokenizer.export import check_export, export_hf

    model = os.path.join(args.model, "tokenizer.model") if os.path.isdir(args.model) else args.model
    export_hf(model, args.output)
    texts = list(EDGE_CASES)
    if args.check:
        from nordic_pile.tokenizer.evaluate import collect_texts

        texts += [t for docs in collect_texts(args.check, 300_000).values() for t in docs]
    wrong = check_export(model, args.output, texts)
    print(f"exported {model} to {args.output}; {len(texts):,} texts checked, {len(wrong)} encoded differently")
    if wrong:
        print(f"warning: e.g. {wrong[0][:200]!r}", file=sys.stderr)
        return 1
    return 0
