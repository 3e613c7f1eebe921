"""`nordic-pile eval ppl|ner|pos|classify|table`: perplexity per language, and fine-tuned tagging/classification.

`--model` is a `transformers` model directory (our checkpoints: their Hugging Face export), a `.gguf` file, or a
checkpoint for which an exporter is installed (see `loading.py`).
"""

from __future__ import annotations

import argparse
import sys

TRAIN_DEFAULTS = {"lr": 5e-5, "batch_size": 16, "epochs": 10, "patience": 3}


def configure(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(title="subcommands", metavar="SUBCOMMAND")
    _ppl_parser(
        sub.add_parser(
            "ppl", help="character-normalised perplexity, bits per byte and token perplexity per language/source"
        )
    )
    for task, what in (
        ("ner", "named entities: strict span micro-F1 (conlleval), per type, without MISC"),
        ("pos", "part of speech: accuracy"),
    ):
        _token_parser(sub.add_parser(task, help=f"fine-tune and score {what}"), task)
    _classify_parser(sub.add_parser("classify", help="fine-tune and score sentence classification: macro-F1, MCC"))
    table = sub.add_parser("table", help="one models x languages PPL_c table from several `eval ppl` results.json")
    table.add_argument("results", nargs="+", help="results.json files written by `eval ppl --output`")
    table.add_argument("--format", default="markdown", help="markdown | csv | json (default markdown)")
    table.set_defaults(func=run_table)


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--tokenizer", help="tokenizer directory, if not the model's")
    p.add_argument("--output", help="folder for results.json and results.md")
    p.add_argument("--threads", type=int, help="torch CPU threads (default: torch's choice)")


def _ppl_parser(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--model",
        action="append",
        required=True,
        help="transformers causal LM directory, .gguf file or exportable checkpoint; repeat for a "
        "models x languages table",
    )
    p.add_argument(
        "--data",
        nargs="+",
        required=True,
        help="documents: JSONL (.jsonl[.gz|.zst], fields text, lang/language, source), Parquet or .txt "
        "files, folders or globs",
    )
    p.add_argument("--by", nargs="+", default=["language"], help="group results by: language and/or source")
    p.add_argument("--window", type=int, help="tokens per forward pass (default: the model's context)")
    p.add_argument(
        "--stride",
        type=int,
        help="new tokens scored per window after the first (default: the window, i.e. non-overlapping "
        "windows as lm-evaluation-harness); smaller strides give each token more context",
    )
    p.add_argument(
        "--prefix",
        default="auto",
        help="token each document is conditioned on: auto (BOS if the tokenizer has one, else EOS), bos, "
        "eos, none, or an id",
    )
    p.add_argument("--language", help="language of documents that carry none (ISO 639-1/3)")
    p.add_argument("--source", help="source of documents that carry none (default: file name)")
    p.add_argument("--limit", type=int, help="first N documents of each file")
    p.add_argument("--gguf-file", help="GGUF file inside --model")
    p.add_argument("--dtype", default="float32", help="float32 | bfloat16 | float16")
    p.add_argument("--batch-tokens", type=int, help="padded tokens per forward pass (default: 4096 or one window)")
    p.add_argument("--device", default="cpu", help="torch device (cpu, cuda, cuda:1, ...)")
    p.add_argument("--format", default="markdown", help="markdown | csv | json (default markdown)")
    _common(p)
    p.set_defaults(func=run_ppl)


def _training(p: argparse.ArgumentParser) -> None:
    p.add_argument("--model", required=True, help="transformers model directory (encoder or decoder)")
    p.add_argument("--train", nargs="+", required=True)
    p.add_argument("--dev", nargs="+", required=True, help="for early stopping and model selection")
    p.add_argument("--test", nargs="+", required=True)
    p.add_argument("--seeds", nargs="+", type=int, default=[1, 2, 3], help="one fine-tuning run per seed")
    g = p.add_argument_group("fine-tuning schedule")
    g.add_argument("--lr", type=float, default=5e-5, help="peak learning rate of the top layer group")
    g.add_argument("--batch-size", type=int, default=16)
    g.add_argument("--epochs", type=int, default=10, help="at most (early stopping ends sooner)")
    g.add_argument("--max-steps", type=int, default=0, help="at most this many steps (0: no limit)")
    g.add_argument("--schedule", default="stlr", help="stlr (slanted triangular) | linear | constant")
    g.add_argument("--warmup", type=float, default=0.1, help="fraction of the steps with a rising rate")
    g.add_argument("--stlr-ratio", type=float, default=32.0, help="peak / lowest rate of the slanted triangle")
    g.add_argument(
        "--layer-decay",
        type=float,
        default=1.0,
        help="discriminative rates: lr_l = lr / DELTA^(depth from top); 1 = one rate (ULMFiT: 2.6)",
    )
    g.add_argument(
        "--unfreeze",
        type=int,
        default=0,
        help="gradual unfreezing: start with the head, unfreeze N more layers per stage (0: off)",
    )
    g.add_argument("--unfreeze-every", type=int, default=0, help="steps per unfreezing stage (0: one epoch)")
    g.add_argument("--patience", type=int, default=3, help="dev evaluations without improvement before stopping")
    g.add_argument("--eval-every", type=int, default=0, help="steps between dev evaluations (0: each epoch)")
    g.add_argument("--weight-decay", type=float, default=0.01)
    g.add_argument("--dropout", type=float, default=0.1)
    g.add_argument("--max-length", type=int, default=256, help="sub-words per input (longer sentences are split)")
    p.add_argument("--format", default="markdown", help="markdown | json: what is printed (default markdown)")
    p.add_argument("--device", default="cpu", help="torch device (cpu, cuda, cuda:1, ...)")
    _common(p)


def _token_parser(p: argparse.ArgumentParser, task: str) -> None:
    _training(p)
    p.add_argument("--input-format", default="auto", help="auto (by extension) | conllu | columns")
    p.add_argument(
        "--label-map",
        nargs="+",
        help="FROM=TO renames (entity types for NER, tags for POS); TO=O drops a type, e.g. GPE_LOC=LOC GPE_ORG=ORG",
    )
    p.add_argument(
        "--skip-malformed",
        action="store_true",
        help="leave out malformed lines (listed in the result) instead of stopping",
    )
    p.add_argument(
        "--allow-unseen-labels",
        action="store_true",
        help="score dev/test labels the training data lacks (never predicted) instead of stopping",
    )
    if task == "ner":
        p.add_argument("--scheme", default="auto", help="auto | iob1 | bio | io | bioes (converted to IOB2)")
        p.add_argument("--misc-key", default="name", help="CoNLL-U MISC key holding entity tags (NorNE: name)")
    else:
        p.add_argument("--pos-column", default="upos", help="CoNLL-U column: upos | xpos")
    p.set_defaults(func=run_token, task=task)


def _classify_parser(p: argparse.ArgumentParser) -> None:
    _training(p)
    p.add_argument("--text-key", default="text", help="JSONL field / CSV column with the text")
    p.add_argument("--label-key", default="label", help="JSONL field / CSV column with the class")
    p.add_argument(
        "--pooling", default="auto", help="auto (cls for encoders, last for decoders) | cls | pooled | last | mean"
    )
    p.set_defaults(func=run_classify_cmd)


def _setup(args: argparse.Namespace) -> None:
    import torch
    import transformers

    transformers.logging.set_verbosity_error()
    transformers.utils.logging.disable_progress_bar()
    if args.threads:
        torch.set_num_threads(args.threads)


def _finish(args: argparse.Namespace, result: dict, markdown: str, printed: str) -> int:
    from nordic_pile.evaluate.report import software_versions, write_results

    result["software"] = software_versions()
    result["command"] = ["nordic-pile", "eval", *sys.argv[2:]] if len(sys.argv) > 2 else None
    print(printed(result) if callable(printed) else printed)
    if args.output:
        for path in write_results(args.output, result, markdown):
            print(f"wrote {path}", file=sys.stderr)
    return 0


def run_ppl(args: argparse.Namespace) -> int:
    from nordic_pile.evaluate import ppl_report
    from nordic_pile.evaluate.perplexity import HIGHER_IS_BETTER
    from nordic_pile.evaluate.ppl_task import evaluate_perplexity
    from nordic_pile.evaluate.report import check_format
    from nordic_pile.evaluate.texts import read_eval_docs

    fmt = check_format(args.format)
    by = tuple(part for item in args.by for part in item.split(",") if part)
    data = read_eval_docs(args.data, args.language, args.source, args.limit)
    _setup(args)
    models = [
        evaluate_perplexity(
            path,
            data,
            window=args.window,
            stride=args.stride,
            prefix=args.prefix,
            by=by,
            batch_tokens=args.batch_tokens,
            dtype=args.dtype,
            tokenizer=args.tokenizer,
            gguf_file=args.gguf_file,
            device=args.device,
        )
        for path in args.model
    ]
    result = {
        "task": "perplexity",
        "data": {
            "files": data.files,
            "sha256": data.sha256,
            "documents": len(data.docs),
            "empty_documents_skipped": data.empty,
            "limit_per_file": args.limit,
        },
        "models": models,
        "higher_is_better": HIGHER_IS_BETTER,
    }
    return _finish(args, result, ppl_report.to_markdown(result), lambda r: ppl_report.render(r, fmt))


def _train_config(args: argparse.Namespace):
    from nordic_pile.evaluate.finetune import TrainConfig

    return TrainConfig(
        lr=args.lr,
        batch_size=args.batch_size,
        epochs=args.epochs,
        max_steps=args.max_steps,
        schedule=args.schedule,
        warmup=args.warmup,
        stlr_ratio=args.stlr_ratio,
        layer_decay=args.layer_decay,
        unfreeze=args.unfreeze,
        unfreeze_every=args.unfreeze_every,
        patience=args.patience,
        eval_every=args.eval_every,
        weight_decay=args.weight_decay,
        dropout=args.dropout,
        max_length=args.max_length,
    )


def _print_format(args: argparse.Namespace):
    from nordic_pile.errors import ConfigError
    from nordic_pile.evaluate import ft_report
    from nordic_pile.evaluate.report import to_json

    if args.format not in ("markdown", "json"):
        raise ConfigError(f"--format {args.format}: use markdown or json")
    return to_json if args.format == "json" else ft_report.to_markdown


def run_token(args: argparse.Namespace) -> int:
    from nordic_pile.evaluate import ft_report
    from nordic_pile.evaluate.metrics import HIGHER_IS_BETTER
    from nordic_pile.evaluate.token_splits import parse_label_map, read_split
    from nordic_pile.evaluate.token_task import run_token_task

    printer = _print_format(args)
    cfg = _train_config(args)
    options = {
        "fmt": args.input_format,
        "label_map": parse_label_map(args.label_map),
        "skip_malformed": args.skip_malformed,
    }
    if args.task == "ner":
        options |= {"scheme": args.scheme, "misc_key": args.misc_key}
    else:
        options |= {"pos_column": args.pos_column}
    splits = [read_split(paths, args.task, **options) for paths in (args.train, args.dev, args.test)]
    _setup(args)
    result = run_token_task(
        args.task,
        args.model,
        *splits,
        cfg=cfg,
        seeds=args.seeds,
        tokenizer=args.tokenizer,
        allow_unseen=args.allow_unseen_labels,
        device=args.device,
    )
    result["higher_is_better"] = HIGHER_IS_BETTER
    return _finish(args, result, ft_report.to_markdown(result), printer)


def run_classify_cmd(args: argparse.Namespace) -> int:
    from nordic_pile.evaluate import ft_report
    from nordic_pile.evaluate.classify_task import read_text_split, run_classify
    from nordic_pile.evaluate.metrics import HIGHER_IS_BETTER

    printer = _print_format(args)
    cfg = _train_config(args)
    splits = [read_text_split(paths, args.text_key, args.label_key) for paths in (args.train, args.dev, args.test)]
    _setup(args)
    result = run_classify(
        args.model,
        *splits,
        cfg=cfg,
        seeds=args.seeds,
        pooling=args.pooling,
        tokenizer=args.tokenizer,
        device=args.device,
    )
    result["higher_is_better"] = HIGHER_IS_BETTER
    return _finish(args, result, ft_report.to_markdown(result), printer)


def run_table(args: argparse.Namespace) -> int:
    import json

    from nordic_pile.errors import InputError
    from nordic_pile.evaluate import ppl_report
    from nordic_pile.evaluate.report import check_format

    fmt = check_format(args.format)
    merged = None
    for path in args.results:
        try:
            with open(path, encoding="utf-8") as f:
                result = json.load(f)
        except (OSError, ValueError) as e:
            raise InputError(f"{path}: cannot read it as JSON ({e})") from None
        if result.get("task") != "perplexity":
            raise InputError(f"{path}: not an `eval ppl` result (task {result.get('task')!r})")
        if merged is None:
            merged = result
        else:
            if result["data"]["sha256"] != merged["data"]["sha256"]:
                print(
                    f"warning: {path} was scored on other data (sha256 {result['data']['sha256'][:12]} vs "
                    f"{merged['data']['sha256'][:12]}); its column values are not comparable",
                    file=sys.stderr,
                )
            merged["models"] += result["models"]
    print(ppl_report.render(merged, fmt))
    return 0
