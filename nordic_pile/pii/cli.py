"""`nordic-pile pii scan IN.jsonl[.gz|.zst] OUT.jsonl[.gz|.zst]`: copy every record, adding its PII spans."""

from __future__ import annotations

import argparse
import os
import sys
import time

from nordic_pile.errors import ConfigError, InputError


def configure(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(title="subcommands", metavar="SUBCOMMAND")
    scan = sub.add_parser(
        "scan",
        help="copy a JSONL file, adding `pii`: a list of {type, start, end} character spans per record",
        description="Copy every record of IN to OUT (compression by extension: .gz, .zst) and add `pii`, a list of "
        "{type, start, end} character spans (types: se_personnummer, no_fodselsnummer, dk_cpr, is_kennitala, "
        "email, phone, iban, ip). Lines that are not JSON objects with a text go to OUT's stem + .rejected.jsonl "
        "with their line number and error; nothing is dropped silently.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    scan.add_argument("input", help="JSON Lines file (.jsonl, .jsonl.gz, .jsonl.zst)")
    scan.add_argument("output", help="output JSON Lines file (.jsonl, .jsonl.gz, .jsonl.zst)")
    scan.add_argument("--text-key", default="text", help="field holding the text (default: text)")
    scan.add_argument(
        "--redact",
        action="store_true",
        help="also replace each identifier in the text with a typed "
        "placeholder (<SE_PERSONNUMMER>, <EMAIL>, ...); spans then refer to the original text",
    )
    scan.add_argument("--types", help="comma-separated types to report (default: all)")
    scan.add_argument(
        "--private-ips",
        action="store_true",
        help="also report private, loopback and documentation "
        "IP addresses (default: public ones only, as datatrove's PIIFormatter)",
    )
    scan.add_argument("--overwrite", action="store_true", help="replace OUT if it exists")
    scan.set_defaults(func=scan_file)


def _language(record: dict) -> str | None:
    from nordic_pile.languages import to_iso639_3

    meta = record.get("metadata") if isinstance(record.get("metadata"), dict) else {}
    hint = record.get("language") or record.get("lang") or meta.get("language")
    return to_iso639_3(hint) if isinstance(hint, str) else None


def scan_file(args: argparse.Namespace) -> int:
    import orjson
    from datatrove.io import get_datafolder

    from nordic_pile.pii import PII_TYPES
    from nordic_pile.pii.detect import count_pii, find_pii, redact
    from nordic_pile.readers.base import TRUNCATION_ERRORS
    from nordic_pile.readers.compressed import open_binary
    from nordic_pile.writers.files import ReproducibleFileManager

    types = frozenset(t.strip() for t in args.types.split(",")) if args.types else None
    if types is not None and not types <= set(PII_TYPES):
        raise ConfigError(
            f"--types {args.types}: unknown {', '.join(sorted(types - set(PII_TYPES)))}; "
            f"use some of {','.join(PII_TYPES)}"
        )
    if not os.path.isfile(args.input):
        raise InputError(f"{args.input}: no such file")
    if os.path.abspath(args.input) == os.path.abspath(args.output):
        raise ConfigError(f"OUT {args.output} is the input file; write to another file")
    if os.path.exists(args.output) and not args.overwrite:
        raise ConfigError(f"{args.output} exists; pass --overwrite to replace it")
    in_dir, in_name = os.path.split(os.path.abspath(args.input))
    out_dir, out_name = os.path.split(os.path.abspath(args.output))
    os.makedirs(out_dir, exist_ok=True)
    stem = out_name.removesuffix(".gz").removesuffix(".zst").removesuffix(".jsonl").removesuffix(".json")
    rejected_name = stem + ".rejected.jsonl"
    if os.path.exists(os.path.join(out_dir, rejected_name)):
        os.remove(os.path.join(out_dir, rejected_name))
    files = ReproducibleFileManager(get_datafolder(out_dir))
    totals, n_records, n_rejected, start = dict.fromkeys(PII_TYPES, 0), 0, 0, time.perf_counter()

    def reject(number: int, error: str, raw: bytes) -> None:
        nonlocal n_rejected
        n_rejected += 1
        entry = {"line": number, "error": error, "raw": raw.decode("utf-8", errors="replace").rstrip("\n")}
        files.write(rejected_name, orjson.dumps(entry) + b"\n")

    number = 0
    try:
        with open_binary(get_datafolder(in_dir), in_name) as f:
            for line in f:
                number += 1
                if not line.strip():
                    continue
                try:
                    record = orjson.loads(line)
                except orjson.JSONDecodeError as e:
                    reject(number, f"invalid JSON: {e}", line)
                    continue
                text = record.get(args.text_key) if isinstance(record, dict) else None
                if not isinstance(text, str):
                    reject(number, f"not a JSON object with a string {args.text_key!r}", line)
                    continue
                spans = find_pii(text, _language(record), types, public_ip=not args.private_ips)
                for kind, n in count_pii(spans).items():
                    totals[kind] += n
                if args.redact:
                    record[args.text_key] = redact(text, spans)
                record["pii"] = [{"type": s.type, "start": s.start, "end": s.end} for s in spans]
                files.write(out_name, orjson.dumps(record) + b"\n")
                n_records += 1
    except TRUNCATION_ERRORS as e:
        reject(number + 1, f"file ends or breaks after line {number}: {type(e).__name__}: {e}", b"")
    if n_records == 0:
        files.write(out_name, b"")  # an empty input still gives an (empty) output file
    files.close()
    elapsed = time.perf_counter() - start
    found = ", ".join(f"{k} {v:,}" for k, v in totals.items() if v) or "none"
    print(f"{n_records:,} records scanned in {elapsed:.1f} s -> {args.output}; PII spans: {found}")
    if n_rejected:
        print(f"{n_rejected:,} unreadable lines -> {os.path.join(out_dir, rejected_name)}", file=sys.stderr)
    return 0
