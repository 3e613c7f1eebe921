"""`tokenizer eval`: the per-language numbers, for our tokenizer and another one side by side."""

import json

import numpy as np
import pytest
import sentencepiece as spm

from nordic_pile.cli import main
from nordic_pile.tokenizer.backends import load_tokenizer
from nordic_pile.tokenizer.evaluate import evaluate
from nordic_pile.tokenizer.metrics import TokenizationStats, text_stats
from tests.tokenizer.trained import CURATED, trained_tokenizer


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    return trained_tokenizer(tmp_path_factory)


def test_text_stats_counts_tokens_per_word():
    text = "bl.a. 17-årig ☃ ok"
    # words: "bl.a." [0,5) "17-årig" [6,13) "ok" [16,18); tokens with their character spans
    spans = np.array([(0, 5), (5, 9), (9, 13), (13, 14), (14, 14), (14, 14), (14, 15), (15, 18)])
    stats = text_stats(text, np.arange(8), spans, 0, 3)
    assert (stats.words, stats.tokens, stats.word_tokens, stats.continued_words) == (3, 8, 4, 1)
    assert stats.fertility == pytest.approx(4 / 3) and stats.chars_per_token == pytest.approx(18 / 8)
    assert stats.byte_fallback_rate == pytest.approx(3 / 8) and stats.continued_word_rate == pytest.approx(1 / 3)
    total = TokenizationStats()
    total.add(stats)
    total.add(stats)
    assert total.words == 6 and total.fertility == stats.fertility


def test_sentencepiece_offsets_are_characters(trained):
    out, _ = trained
    backend = load_tokenizer(str(out))
    text = "Þórshöfn ☃ og æøå"
    [(ids, spans)] = backend.encode_offsets([text])
    sp = spm.SentencePieceProcessor(model_file=str(out / "tokenizer.model"))
    assert ids.tolist() == sp.encode(text)
    assert spans[0][0] == 0 and spans[-1][1] == len(text)
    assert (np.diff(spans[:, 0]) >= 0).all()
    pieces = [sp.id_to_piece(int(i)) for i in ids]
    snowman = [k for k, p in enumerate(pieces) if p.startswith("<0x")]
    assert len(snowman) == 3  # ☃ is three bytes the tokenizer has never seen: all at the snowman's place
    assert {tuple(spans[k]) for k in snowman} <= {(9, 9), (9, 10)} and tuple(spans[snowman[-1]]) == (9, 10)
    unknown, byte = backend.kinds()
    assert byte[ids].sum() == 3 and not unknown[ids].any()


def test_eval_compares_tokenizers_per_language(trained, tmp_path, capsys):
    out, _ = trained
    text = tmp_path / "t.txt"
    with open(text, "w") as f:
        for path in sorted(CURATED.glob("swe/*/*.jsonl.gz")):
            import gzip

            for line in gzip.open(path, "rt"):
                f.write(json.loads(line)["text"].replace("\n", " ") + "\n")
    spm.SentencePieceTrainer.train(
        input=str(text), model_prefix=str(tmp_path / "swedish"), vocab_size=2000, model_type="unigram", minloglevel=2
    )
    result = evaluate([str(out), str(out / "hf"), str(tmp_path / "swedish.model")], [str(CURATED)], 60_000)
    names = list(result["tokenizers"])
    assert len(names) == 3
    for language, by in result["languages"].items():
        ours, exported, swedish = (by[n] for n in names)
        assert ours.tokens == exported.tokens and ours.continued_words == exported.continued_words, language
        assert ours.unknown_tokens == 0 and ours.words > 1000
        assert 1.0 <= ours.fertility < 4
    # a Swedish-only tokenizer fits Swedish better than Icelandic, and lacks Icelandic characters
    swe, isl = result["languages"]["swe"][names[2]], result["languages"]["isl"][names[2]]
    assert swe.fertility < isl.fertility and swe.chars_per_token > isl.chars_per_token
    assert isl.unknown_tokens > 0
    assert (
        main(
            [
                "tokenizer",
                "eval",
                str(CURATED / "isl"),
                "-t",
                str(out),
                "-t",
                str(tmp_path / "swedish.model"),
                "--format",
                "json",
                "--max-chars-per-language",
                "50000",
            ]
        )
        == 0
    )
    rows = json.loads(capsys.readouterr().out)["results"]
    assert {r["language"] for r in rows} == {"isl"} and len(rows) == 2
    assert {"fertility", "chars_per_token", "unknown_rate", "byte_fallback_rate", "continued_word_rate"} <= set(
        rows[0]
    )
