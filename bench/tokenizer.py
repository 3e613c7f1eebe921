"""Our tokenizer (GPT-SW3's settings) beside SentencePiece's defaults and a GPT-2-style byte-level BPE, trained on
the same Nordic text with the same vocabulary size, measured on held-out documents per language.

Data: real documents from ../shared/data/docs (--data) in Bokmål, Nynorsk, Swedish, Danish, Icelandic, Faroese and
English, plus Python source (datatrove's, Apache-2.0) as code; the first 80% of each language's documents train,
the rest are measured. Figures: fertility (tokens per word), characters per token, continued words, byte-fallback
and unknown rates (`nordic-pile tokenizer eval`), the share of held-out documents that decode back to exactly
the same text (SentencePiece's default NFKC and whitespace folding do not), and training seconds. Last line JSON.

    .venv/bin/python bench/tokenizer.py --quick
"""

from __future__ import annotations

import argparse
import glob
import gzip
import io
import json
import os
import shutil
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from bench.pack import LANGUAGES, default_data  # noqa: E402


def write_split(data: str, folder: str, chars_per_language: int) -> dict[str, int]:
    """Write train/ and test/ curated shards (80/20 by document); returns documents per split."""
    import zstandard

    counts = {"train": 0, "test": 0}
    sources = [(s, c) for s, c in LANGUAGES.items()] + [("code", "code")]
    for short, code in sources:
        docs = []
        if short == "code":
            import datatrove

            for path in sorted(
                glob.glob(os.path.join(os.path.dirname(datatrove.__file__), "**", "*.py"), recursive=True)
            ):
                text = open(path, encoding="utf-8").read()
                if text.strip():
                    docs.append({"text": text, "id": os.path.relpath(path, os.path.dirname(datatrove.__file__))})
                if sum(len(d["text"]) for d in docs) >= chars_per_language:
                    break
        else:
            path = os.path.join(data, f"docs_{short}.jsonl.zst")
            with open(path, "rb") as raw:
                reader = io.TextIOWrapper(zstandard.ZstdDecompressor().stream_reader(raw), encoding="utf-8")
                chars = 0
                for line in reader:
                    doc = json.loads(line)
                    docs.append({"text": doc["text"], "id": doc["id"]})
                    chars += len(doc["text"])
                    if chars >= chars_per_language:
                        break
        cut = int(len(docs) * 0.8)
        for split, part in (("train", docs[:cut]), ("test", docs[cut:])):
            out = os.path.join(folder, split, code, "docs")
            os.makedirs(out, exist_ok=True)
            with gzip.open(os.path.join(out, "00000.jsonl.gz"), "wt", encoding="utf-8") as f:
                for d in part:
                    f.write(
                        json.dumps(
                            {"text": d["text"], "id": d["id"], "metadata": {"language": code, "category": "docs"}},
                            ensure_ascii=False,
                        )
                        + "\n"
                    )
            counts[split] += len(part)
    return counts


def train_text(folder: str, path: str) -> None:
    with open(path, "w", encoding="utf-8") as out:
        for shard in sorted(glob.glob(os.path.join(folder, "**", "*.jsonl.gz"), recursive=True)):
            for line in gzip.open(shard, "rt", encoding="utf-8"):
                for text_line in json.loads(line)["text"].split("\n"):
                    if text_line.strip():
                        out.write(text_line + "\n")


def train_all(work: str, vocab: int) -> dict[str, tuple[str, float]]:
    """{name: (tokenizer path, training seconds)}"""
    import sentencepiece as spm
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
    from transformers import PreTrainedTokenizerFast

    from nordic_pile.tokenizer.build import build_tokenizer
    from nordic_pile.tokenizer.settings import TokenizerSettings

    out = {}
    start = time.perf_counter()
    build_tokenizer(
        [os.path.join(work, "train")],
        os.path.join(work, "ours"),
        TokenizerSettings(vocab_size=vocab),
        fraction=1.0,
        tasks=1,
        workers=1,
    )
    out["nordic-pile (GPT-SW3 settings)"] = (os.path.join(work, "ours"), time.perf_counter() - start)

    text = os.path.join(work, "train.txt")
    train_text(os.path.join(work, "train"), text)
    start = time.perf_counter()
    spm.SentencePieceTrainer.train(
        input=text,
        model_prefix=os.path.join(work, "spm-default"),
        vocab_size=vocab,
        model_type="bpe",
        minloglevel=2,
        num_threads=1,
    )
    out["sentencepiece BPE defaults"] = (os.path.join(work, "spm-default.model"), time.perf_counter() - start)

    start = time.perf_counter()
    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    tok.train(
        [text],
        trainers.BpeTrainer(
            vocab_size=vocab,
            special_tokens=["<|endoftext|>"],
            show_progress=False,
            initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
        ),
    )
    folder = os.path.join(work, "bytelevel")
    PreTrainedTokenizerFast(tokenizer_object=tok, eos_token="<|endoftext|>").save_pretrained(folder)
    out["tokenizers byte-level BPE (GPT-2 style)"] = (folder, time.perf_counter() - start)
    return out


def round_trip(path: str, test: str) -> float:
    from nordic_pile.tokenizer.backends import SentencePieceBackend, load_tokenizer

    backend = load_tokenizer(path)
    docs = [
        json.loads(line)["text"]
        for shard in sorted(glob.glob(os.path.join(test, "**", "*.jsonl.gz"), recursive=True))
        for line in gzip.open(shard, "rt", encoding="utf-8")
    ]
    ids = backend.encode_batch(docs)
    if isinstance(backend, SentencePieceBackend):
        decoded = backend.sp.decode(ids)
    else:
        decoded = backend.tok.batch_decode(ids, clean_up_tokenization_spaces=False)
    return sum(a == b for a, b in zip(docs, decoded, strict=True)) / len(docs)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", default=default_data(), help="the docs/ folder of the shared Nordic data")
    parser.add_argument("--quick", action="store_true", help="200k characters per language, vocabulary 4,000")
    parser.add_argument("--chars-per-language", type=int, help="default 200k (--quick) or 2M")
    parser.add_argument("--vocab-size", type=int, help="default 4,000 (--quick) or 32,000")
    args = parser.parse_args()
    if not os.path.isdir(args.data):
        sys.exit(f"--data {args.data}: no such folder (the docs/ folder of the shared Nordic data)")
    chars = args.chars_per_language or (200_000 if args.quick else 2_000_000)
    vocab = args.vocab_size or (4_000 if args.quick else 32_000)

    from datatrove.utils.logging import logger

    from nordic_pile.tokenizer.evaluate import evaluate

    logger.remove()
    logger.add(sys.stderr, level="WARNING")
    work = tempfile.mkdtemp(prefix="bench-tokenizer-")
    try:
        counts = write_split(args.data, work, chars)
        trained = train_all(work, vocab)
        result = evaluate([p for p, _ in trained.values()], [os.path.join(work, "test")], chars)
        names = dict(zip(result["tokenizers"], trained, strict=True))
        print(f"{counts['train']:,} training and {counts['test']:,} held-out documents, vocabulary {vocab:,}")
        print(
            f"{'language':9}{'tokenizer':42}{'fertility':>10}{'chars/tok':>10}{'continued':>10}{'bytes':>8}"
            f"{'unknown':>8}"
        )
        figures: dict = {"bench": "tokenizer", "vocab_size": vocab, "documents_test": counts["test"], "tokenizers": {}}
        for language, by in result["languages"].items():
            for key, stats in by.items():
                name = names[key]
                print(
                    f"{language:9}{name:42}{stats.fertility:10.3f}{stats.chars_per_token:10.2f}"
                    f"{100 * stats.continued_word_rate:9.1f}%{100 * stats.byte_fallback_rate:7.2f}%"
                    f"{100 * stats.unknown_rate:7.2f}%"
                )
                entry = figures["tokenizers"].setdefault(name, {"fertility": {}, "chars_per_token": {}})
                entry["fertility"][language] = round(stats.fertility, 4)
                entry["chars_per_token"][language] = round(stats.chars_per_token, 4)
        print(f"{'':9}{'tokenizer':42}{'exact round trip':>18}{'train s':>9}")
        for name, (path, seconds) in trained.items():
            share = round_trip(path, os.path.join(work, "test"))
            figures["tokenizers"][name] |= {"round_trip": round(share, 4), "train_seconds": round(seconds, 2)}
            print(f"{'':9}{name:42}{100 * share:17.1f}%{seconds:9.1f}")
        print(json.dumps(figures))
        return 0
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
