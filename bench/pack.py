"""Tokens per second per core: `nordic-pile pack` beside datatrove's DocumentTokenizer, same input and tokenizer.

Input: real Nordic documents from ../shared/data/docs (--data), written as curated JSONL shards, one per language.
Tokenizer: one trained here with `nordic-pile tokenizer train` (GPT-SW3's settings, a smaller vocabulary); datatrove
needs a Hugging Face `tokenizers` file, so it gets our export (tokenizer/hf/tokenizer.json), which encodes exactly
as the SentencePiece model. Both run one task on one core (RAYON_NUM_THREADS=1), reading the same gzipped JSONL and
putting `<|endoftext|>` after every document (datatrove adds none unless eos_token is given). The token streams are
compared: they must be identical. Figures are medians of --repeats runs; the last line is JSON.

    .venv/bin/python bench/pack.py --quick
"""

from __future__ import annotations

import argparse
import glob
import gzip
import io
import json
import os
import shutil
import statistics
import sys
import tempfile
import time

os.environ.setdefault("RAYON_NUM_THREADS", "1")  # one core for the Rust tokenizer too
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

import numpy as np  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

LANGUAGES = {"nb": "nob", "sv": "swe", "da": "dan", "is": "isl", "nn": "nno", "fo": "fao", "en": "eng"}


def default_data() -> str:
    """../shared/data/docs beside the checkout (or beside the folder of worktrees)."""
    repo = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    for up in ("..", os.path.join("..", "..")):
        path = os.path.normpath(os.path.join(repo, up, "shared", "data", "docs"))
        if os.path.isdir(path):
            return path
    return os.path.normpath(os.path.join(repo, "..", "shared", "data", "docs"))


def write_input(data: str, folder: str, chars_per_language: int) -> int:
    """Write up to `chars_per_language` characters of documents per language as curated shards; returns docs."""
    import zstandard

    count = 0
    for short, code in LANGUAGES.items():
        path = os.path.join(data, f"docs_{short}.jsonl.zst")
        if not os.path.isfile(path):
            continue
        out_dir = os.path.join(folder, code, "docs")
        os.makedirs(out_dir, exist_ok=True)
        chars = 0
        with (
            open(path, "rb") as raw,
            gzip.open(os.path.join(out_dir, "00000.jsonl.gz"), "wt", encoding="utf-8") as out,
        ):
            reader = io.TextIOWrapper(zstandard.ZstdDecompressor().stream_reader(raw), encoding="utf-8")
            for line in reader:
                doc = json.loads(line)
                record = {
                    "text": doc["text"],
                    "id": doc["id"],
                    "metadata": {"language": code, "category": "docs", "source": doc["source"]},
                }
                out.write(json.dumps(record, ensure_ascii=False) + "\n")
                chars += len(doc["text"])
                count += 1
                if chars >= chars_per_language:
                    break
    return count


def run_ours(inputs: str, tokenizer: str, out: str) -> tuple[float, np.ndarray]:
    from nordic_pile.packing.indexed import IndexedDataset
    from nordic_pile.packing.pack import pack

    shutil.rmtree(out, ignore_errors=True)
    start = time.perf_counter()
    manifest = pack([inputs], tokenizer, out, tasks=1, workers=1)
    elapsed = time.perf_counter() - start
    stream = [IndexedDataset(os.path.join(out, s.prefix)).tokens for s in manifest.shards]
    return elapsed, np.concatenate(stream).astype(np.int64)


def run_datatrove(inputs: str, tokenizer_json: str, out: str) -> tuple[float, np.ndarray]:
    from datatrove.executor import LocalPipelineExecutor
    from datatrove.pipeline.readers import JsonlReader
    from datatrove.pipeline.tokens import DocumentTokenizer

    shutil.rmtree(out, ignore_errors=True)
    pipeline = [
        JsonlReader(inputs, glob_pattern="**/*.jsonl.gz", recursive=True),
        DocumentTokenizer(
            os.path.join(out, "tokens"),
            tokenizer_name_or_path=tokenizer_json,
            eos_token="<|endoftext|>",
            shuffle_documents=False,
            batch_size=10000,
        ),
    ]
    executor = LocalPipelineExecutor(pipeline, tasks=1, workers=1, logging_dir=os.path.join(out, "logs"))
    start = time.perf_counter()
    executor.run()
    elapsed = time.perf_counter() - start
    files = sorted(glob.glob(os.path.join(out, "tokens", "*.ds")))
    return elapsed, np.concatenate([np.fromfile(f, dtype=np.uint16) for f in files]).astype(np.int64)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", default=default_data(), help="the docs/ folder of the shared Nordic data")
    parser.add_argument("--quick", action="store_true", help="about 1.7 MB of text, a 4,000-piece vocabulary")
    parser.add_argument("--chars-per-language", type=int, help="default 250k (--quick) or 3M")
    parser.add_argument("--vocab-size", type=int, help="default 4,000 (--quick) or 32,000")
    parser.add_argument("--repeats", type=int, help="default 3 (--quick) or 5")
    args = parser.parse_args()
    if not os.path.isdir(args.data):
        sys.exit(f"--data {args.data}: no such folder (the docs/ folder of the shared Nordic data)")
    chars = args.chars_per_language or (250_000 if args.quick else 3_000_000)
    vocab = args.vocab_size or (4_000 if args.quick else 32_000)
    repeats = args.repeats or (3 if args.quick else 5)

    from datatrove.utils.logging import logger

    from nordic_pile.tokenizer.build import build_tokenizer
    from nordic_pile.tokenizer.settings import TokenizerSettings

    logger.remove()
    logger.add(sys.stderr, level="WARNING")
    work = tempfile.mkdtemp(prefix="bench-pack-")
    try:
        inputs = os.path.join(work, "input")
        documents = write_input(args.data, inputs, chars)
        tok = os.path.join(work, "tok")
        build_tokenizer([inputs], tok, TokenizerSettings(vocab_size=vocab), fraction=1.0, tasks=1, workers=1)
        ours, ours_hf, theirs = [], [], []
        for _ in range(repeats):  # interleaved, so that load on the shared machine hits all alike
            t, our_stream = run_ours(inputs, tok, os.path.join(work, "ours"))
            ours.append(t)
            t, our_hf_stream = run_ours(inputs, os.path.join(tok, "hf"), os.path.join(work, "ours-hf"))
            ours_hf.append(t)
            t, their_stream = run_datatrove(
                inputs, os.path.join(tok, "hf", "tokenizer.json"), os.path.join(work, "datatrove")
            )
            theirs.append(t)
        tokens = len(our_stream)
        identical = np.array_equal(our_stream, their_stream) and np.array_equal(our_stream, our_hf_stream)
        rows = [
            ("nordic-pile pack (sentencepiece)", ours),
            ("nordic-pile pack (HF tokenizers, our export)", ours_hf),
            ("datatrove DocumentTokenizer (HF tokenizers)", theirs),
        ]
        print(
            f"{documents:,} documents, {chars * len(LANGUAGES) / 1e6:.1f}M characters at most, {tokens:,} tokens "
            f"(vocabulary {vocab:,}); one task on one core; median of {repeats} runs"
        )
        print(f"{'':46} {'seconds':>8} {'tokens/s/core':>14}")
        for name, times in rows:
            median = statistics.median(times)
            print(f"{name:46} {median:8.2f} {tokens / median:14,.0f}")
        print(f"token streams identical (eos after every document in both): {identical}")
        figures = {
            "bench": "pack",
            "documents": documents,
            "tokens": tokens,
            "vocab_size": vocab,
            "repeats": repeats,
            "ours_tokens_per_s_per_core": round(tokens / statistics.median(ours)),
            "ours_hf_tokens_per_s_per_core": round(tokens / statistics.median(ours_hf)),
            "datatrove_tokens_per_s_per_core": round(tokens / statistics.median(theirs)),
            "speedup_vs_datatrove": round(statistics.median(theirs) / statistics.median(ours), 2),
            "identical_token_streams": bool(identical),
        }
        print(json.dumps(figures))
        return 0 if identical else 1
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
