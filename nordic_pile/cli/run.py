"""`nordic-pile run RECIPE --input DIR_OR_GLOB --output DIR`: curate input files with a recipe."""

from __future__ import annotations

import argparse
import os
import sys
import time


def configure(parser: argparse.ArgumentParser) -> None:
    parser.epilog = (
        "Examples:\n"
        "  nordic-pile run pipelines/default.yaml --input corpus/ --output curated/ --tasks 8\n"
        "  nordic-pile run pipelines/default.yaml --input 'crawl/**/*.warc.gz' --output out/ --executor slurm\n\n"
        "A run killed at any point resumes when the same command is given again: completed tasks are skipped."
    )
    parser.add_argument("recipe", help="recipe YAML (see pipelines/; `nordic-pile steps` lists the steps)")
    parser.add_argument("--input", "-i", required=True, help="input folder, file, or glob (quote it)")
    parser.add_argument("--output", "-o", required=True, help="output folder (created; resumed if it holds this run)")
    parser.add_argument(
        "--tasks",
        type=int,
        help="number of tasks the input files are split into (default: the recipe's executor.tasks, else 1)",
    )
    parser.add_argument("--workers", type=int, help="tasks run at the same time on this machine (default: all)")
    parser.add_argument(
        "--executor",
        choices=("local", "ray", "slurm"),
        default="local",
        help="local processes (default), a Ray cluster (ray.init() must reach it), or Slurm jobs",
    )
    parser.add_argument("--overwrite", action="store_true", help="replace an earlier run in --output")
    parser.add_argument(
        "--dry-run",
        action="store_true",
        help="validate and print the plan (with --executor slurm, "
        "also render the sbatch scripts) without processing anything",
    )
    parser.add_argument("--verbose", "-v", action="store_true", help="print datatrove's INFO logs from every task")
    parser.set_defaults(func=run)


def describe_plan(plan) -> str:
    lines = [f"recipe {plan.recipe.path}: {len(plan.stages)} stage(s)"]
    for stage in plan.stages:
        names = [getattr(s, "step_id", None) or getattr(s, "name", type(s).__name__) for s in stage.pipeline]
        lines.append(f"  {stage.name} ({stage.tasks} tasks): " + " -> ".join(map(str, names)))
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    from datatrove.utils.logging import logger

    from nordic_pile.accounting.summary import write_summary
    from nordic_pile.accounting.table import language_table, reason_table
    from nordic_pile.recipe.compile import compile_plan
    from nordic_pile.recipe.executors import CONSOLE_FORMAT, build_executors, console_filter, render_slurm_scripts
    from nordic_pile.recipe.schema import parse_recipe
    from nordic_pile.runs.output_dir import fingerprint, prepare

    logger.remove()
    logger.add(sys.stderr, level="INFO" if args.verbose else "WARNING", format=CONSOLE_FORMAT, filter=console_filter)
    recipe = parse_recipe(args.recipe)
    plan = compile_plan(recipe, args.input, args.output, args.tasks, args.workers)
    executors = build_executors(plan, args.executor, verbose=args.verbose)
    print(describe_plan(plan))
    if args.dry_run:
        if args.executor == "slurm":
            for path in render_slurm_scripts(executors):
                print(f"sbatch script: {os.path.join(path, 'launch_script.slurm')}")
        return 0
    resumed = prepare(
        plan.output, fingerprint(args.recipe, args.input, plan.stages[0].tasks), args.recipe, args.overwrite
    )
    if resumed:
        print(f"resuming the run in {plan.output}: completed tasks are skipped")
    info = {
        "recipe": os.path.abspath(args.recipe),
        "input": os.path.abspath(args.input),
        "output": plan.output,
        "outputs": {
            "kept": plan.data_dir,
            "removed": os.path.join(plan.output, "removed"),
            "quarantine": os.path.join(plan.output, "quarantine"),
        },
    }
    if args.executor == "slurm":
        from nordic_pile.runs.summary_step import slurm_summary_executor

        slurm_summary_executor(plan, executors[-1], info).run()
        print(
            f"submitted {len(executors)} stage(s) to Slurm; the summary will be written to {plan.output}/summary.json"
        )
        return 0
    start = time.perf_counter()
    executors[-1].run()
    summary = write_summary(plan.output, info)
    elapsed = time.perf_counter() - start
    print()
    print(language_table(summary))
    print()
    print(reason_table(summary))
    print()
    print(
        f"read {summary['read']:,} = kept {summary['kept']:,} + removed {summary['removed']:,} + quarantined "
        f"{summary['quarantined']:,} documents in {elapsed:.1f} s"
    )
    print(f"kept documents:    {plan.data_dir}")
    print(f"removed documents: {info['outputs']['removed']} (with removed_by and filter_reason)")
    print(f"quarantined:       {info['outputs']['quarantine']} (with the file, line and error)")
    print(f"summary:           {plan.output}/summary.json")
    return 0
