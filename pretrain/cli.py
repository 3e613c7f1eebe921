"""`nordic-pile pretrain`: LightningCLI for training (every option in YAML and on the command line), plus export,
Slurm scripts, instruction-tuning data and the bundled configs."""

from __future__ import annotations

import argparse
import os
import sys
from importlib import resources

USAGE = """usage: nordic-pile pretrain COMMAND ...

Pretraining GPT-SW3-style decoders and NorBERT-style encoders on packed shards (`nordic-pile pack`).

commands:
  fit        train a GPT model (LightningCLI): --config CONFIG --data.path PACKED_DIR [--trainer.* --model.* ...]
  validate   validation loss of a GPT checkpoint: --config CONFIG --data.path PACKED_DIR --ckpt_path CKPT
  bert       the same for BERT masked-language models: bert fit|validate --config bert_base_128 ...
  export     checkpoint -> Hugging Face transformers folder with the tokenizer: export CKPT OUT_DIR
  slurm      print an sbatch script for N nodes x G GPUs: slurm --nodes N --gpus-per-node G -- FIT ARGS
  chat-data  pack conversations for instruction tuning (GPT-SW3's chat/unrolled formats, merged)
  summary    a run's steps, tokens, loss curve, validation losses and throughput: summary RUN_DIR
  configs    list the bundled configs (--config accepts their names, e.g. gpt_126m)

Resume a run: repeat the fit command with --ckpt_path last. `nordic-pile pretrain fit --help` lists every option.
"""


def bundled_configs() -> dict[str, str]:
    folder = resources.files("nordic_pile.pretrain") / "configs"
    return {
        p.name[: -len(".yaml")]: str(p)
        for p in sorted(folder.iterdir(), key=lambda p: p.name)
        if p.name.endswith(".yaml")
    }


def resolve_config_names(argv: list[str]) -> list[str]:
    """Let --config name a bundled config (gpt_126m) as well as a file."""
    configs, out, expect = bundled_configs(), [], False
    for arg in argv:
        if expect and not os.path.exists(arg) and arg.removesuffix(".yaml") in configs:
            arg = configs[arg.removesuffix(".yaml")]
        elif arg.startswith("--config=") and arg[9:].removesuffix(".yaml") in configs and not os.path.exists(arg[9:]):
            arg = "--config=" + configs[arg[9:].removesuffix(".yaml")]
        expect = arg in ("-c", "--config")
        out.append(arg)
    return out


def run_lightning(arch: str, argv: list[str]) -> int:
    import warnings

    from nordic_pile.pretrain.trainer_cli import PretrainCLI

    # sys.argv stays as it is: Lightning's DDP launcher starts the other ranks with it
    warnings.filterwarnings("ignore", message="LightningCLI's args parameter")

    if arch == "gpt":
        from nordic_pile.pretrain.data import PackedDataModule as data_class
        from nordic_pile.pretrain.module import GPTModule as model_class
    else:
        from nordic_pile.pretrain.mlm_data import MLMDataModule as data_class
        from nordic_pile.pretrain.module import BertModule as model_class
    prog = "nordic-pile pretrain" + (" bert" if arch == "bert" else "")
    PretrainCLI(
        model_class,
        data_class,
        args=resolve_config_names(argv),
        parser_kwargs={"prog": prog, "description": model_class.__doc__},
    )
    return 0


def export_main(argv: list[str]) -> int:
    p = argparse.ArgumentParser(
        prog="nordic-pile pretrain export",
        description="Write a transformers model folder (weights, config, tokenizer).",
    )
    p.add_argument("checkpoint", help="a .ckpt of `pretrain fit` (e.g. RUN/checkpoints/last.ckpt)")
    p.add_argument("output", help="the folder to write (replaced if it exists)")
    p.add_argument("--tokenizer", help="Hugging Face tokenizer folder (default: the manifest's hf_dir)")
    args = p.parse_args(argv)
    from nordic_pile.pretrain.export import export

    name = export(args.checkpoint, args.output, args.tokenizer)
    print(
        f"wrote {args.output} ({name}); load it with transformers' AutoModelFor"
        f"{'CausalLM' if name.startswith('GPT2') else 'MaskedLM'}.from_pretrained({args.output!r})"
    )
    return 0


def slurm_main(argv: list[str]) -> int:
    from nordic_pile.pretrain.slurm import SlurmJob, render

    fit_args = argv[argv.index("--") + 1 :] if "--" in argv else []
    own = argv[: argv.index("--")] if "--" in argv else argv
    p = argparse.ArgumentParser(
        prog="nordic-pile pretrain slurm",
        description="Print (or write) an sbatch script that runs `pretrain fit` on N nodes "
        "x G GPUs; the arguments after -- go to fit.",
    )
    p.add_argument("--nodes", type=int, required=True)
    p.add_argument("--gpus-per-node", type=int, required=True)
    p.add_argument("--job-name", default="nordic-pile-pretrain")
    p.add_argument("--partition")
    p.add_argument("--account")
    p.add_argument("--time", default="2-00:00:00")
    p.add_argument("--cpus-per-task", type=int, default=8)
    p.add_argument("--bert", action="store_true", help="run `pretrain bert fit` instead of `pretrain fit`")
    p.add_argument("--setup", default="", help="shell lines before srun (module load ..., source .venv/bin/activate)")
    p.add_argument("--output", help="write the script here instead of printing it")
    args = p.parse_args(own)
    job = SlurmJob(
        args.nodes,
        args.gpus_per_node,
        fit_args,
        args.job_name,
        args.partition,
        args.account,
        args.time,
        args.cpus_per_task,
        args.bert,
        args.setup,
    )
    script = render(job)
    if args.output:
        with open(args.output, "w", encoding="utf-8") as f:
            f.write(script)
        print(f"wrote {args.output}; submit it with: sbatch {args.output}")
    else:
        sys.stdout.write(script)
    return 0


def chat_data_main(argv: list[str]) -> int:
    p = argparse.ArgumentParser(
        prog="nordic-pile pretrain chat-data",
        description="Render, merge and pack conversations (JSONL with 'messages' or "
        "'conversations') for instruction tuning with `pretrain fit`.",
    )
    p.add_argument("inputs", nargs="+", help=".jsonl or .jsonl.gz files")
    p.add_argument("--tokenizer", required=True, help="Hugging Face tokenizer folder (`nordic-pile tokenizer export`)")
    p.add_argument("--output", required=True, help="folder for the shards and manifest.json")
    p.add_argument("--format", choices=["chat", "unrolled"], default="chat")
    p.add_argument(
        "--merge-p",
        type=float,
        default=0.5,
        help="conversations per example ~ Geometric(p): mean 1/p (default 0.5: two on average)",
    )
    p.add_argument("--user-label", default="User")
    p.add_argument("--assistant-label", default="Assistant", help="GPT-SW3's instruct models used 'Bot'")
    p.add_argument("--seed", type=int, default=1234)
    args = p.parse_args(argv)
    from nordic_pile.pretrain.chat import ChatFormat, build_chat_data

    fmt = ChatFormat(args.format, args.user_label, args.assistant_label)
    counts = build_chat_data(args.inputs, args.tokenizer, args.output, fmt, args.merge_p, args.seed)
    print(
        f"{counts['conversations']:,} conversations -> {counts['examples']:,} examples, {counts['tokens']:,} tokens "
        f"in {args.output}"
    )
    return 0


def configs_main(argv: list[str]) -> int:
    argparse.ArgumentParser(prog="nordic-pile pretrain configs", description="List the bundled configs.").parse_args(
        argv
    )
    for name, path in bundled_configs().items():
        with open(path, encoding="utf-8") as f:
            first = f.readline().lstrip("# ").strip()
        print(f"{name:16s} {first}")
    return 0


def summary_main(argv: list[str]) -> int:
    p = argparse.ArgumentParser(prog="nordic-pile pretrain summary", description="Summarise a run from its CSV logs.")
    p.add_argument("run_dir", help="the run's trainer.default_root_dir")
    p.add_argument("--window", type=int, default=10, help="steps averaged at the start and the end (default 10)")
    p.add_argument(
        "--require-falling",
        type=float,
        metavar="NATS",
        help="exit 1 unless the loss fell by at least this much (for scripted checks such as make e2e)",
    )
    args = p.parse_args(argv)
    from nordic_pile.pretrain.summary import render, summarize

    summary = summarize(args.run_dir, args.window)
    print(render(summary, args.window))
    if args.require_falling is not None and summary["first_loss"] - summary["last_loss"] < args.require_falling:
        print(
            f"the loss fell by {summary['first_loss'] - summary['last_loss']:.3f} nats, less than "
            f"{args.require_falling}",
            file=sys.stderr,
        )
        return 1
    return 0


def main_argv(argv: list[str]) -> int:
    if not argv or argv[0] in ("-h", "--help"):
        print(USAGE)
        return 0 if argv else 2
    command, rest = argv[0], argv[1:]
    if command in ("fit", "validate"):
        return run_lightning("gpt", argv)
    if command == "bert":
        return run_lightning("bert", rest)
    handlers = {
        "export": export_main,
        "slurm": slurm_main,
        "chat-data": chat_data_main,
        "configs": configs_main,
        "summary": summary_main,
    }
    if command not in handlers:
        print(f"nordic-pile pretrain: unknown command {command!r}\n\n{USAGE}", file=sys.stderr)
        return 2
    return handlers[command](rest)
