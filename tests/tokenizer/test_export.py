"""The Hugging Face export loads offline and encodes and decodes exactly as sentencepiece does, in every language."""

import gzip
import json

import pytest
import sentencepiece as spm
from transformers import AutoTokenizer

from nordic_pile.cli import main
from nordic_pile.errors import ConfigError
from nordic_pile.text.sentences import split_sentences
from nordic_pile.tokenizer.build import EDGE_CASES
from nordic_pile.tokenizer.export import export_hf
from tests.tokenizer.trained import CURATED, trained_tokenizer

HARD = [
    "  to mellomrom foran",
    "linje\n\n\nmed    fire\t\tog\r\nCRLF",
    "    innrykk\n\tmed tab",
    " ",
    "\n",
    "\t\t\t\t\t",
    " " * 30 + "tretti",
    "Tallet 1234567890 og 3.14159 og 1,5 %",
    "kode: x  ==  y && z != 0 // kommentar",
    "emoji 😀👍🏽 og 中文 og ℵ og 𝔘𝔫𝔦𝔠𝔬𝔡𝔢",
    "ﬁ ligatur og e\u0301 (kombinert) og NBSP\u00a0her",
    "<|endoftext|> i teksten",
    "<s>tagg</s> <pad> <unk> <|code:python|>",
    "▁ et literalt ▁ tegn",
    "slutt med mellomrom   ",
    "Ærø Þórshöfn Ålesund",
]


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    return trained_tokenizer(tmp_path_factory)


def _sentences_per_language(per_language=400, documents=12):
    """Every 3rd sentence (up to `per_language`) and the first `documents` whole documents of each language."""
    sentences, docs = {}, {}
    for path in sorted(CURATED.glob("*/*/*.jsonl.gz")):
        with gzip.open(path, "rt", encoding="utf-8") as f:
            for line in f:
                doc = json.loads(line)
                language = doc["metadata"]["language"]
                sentences.setdefault(language, []).extend(split_sentences(doc["text"], language)[::3])
                docs.setdefault(language, []).append(doc["text"])  # whole documents: line breaks, indentation
    return {k: v[:per_language] + docs[k][:documents] for k, v in sentences.items()}


def test_export_encodes_like_sentencepiece_in_every_language(trained):
    out, info = trained
    sp = spm.SentencePieceProcessor(model_file=str(out / "tokenizer.model"))
    hf = AutoTokenizer.from_pretrained(str(out / "hf"))  # offline: HF_HUB_OFFLINE=1 in tests/conftest.py
    texts = _sentences_per_language()
    assert set(texts) == {"swe", "nob", "nno", "dan", "isl", "fao", "eng", "code"}
    for language, items in texts.items():
        assert len(items) > 50, language
        expected = sp.encode(items)
        got = hf(items)["input_ids"]
        for text, a, b in zip(items, expected, got, strict=True):
            assert b == a, (language, text[:100])
        for text, a, b in zip(items, sp.decode(expected), hf.batch_decode(expected), strict=True):
            assert b == a, (language, text[:100])
    for text in HARD + list(EDGE_CASES):
        assert hf.encode(text) == sp.encode(text), text
        assert hf.decode(sp.encode(text)) == sp.decode(sp.encode(text)), text
    assert info["hf_export"]["mismatches"] == 0 and info["hf_export"]["checked_texts"] > 1000


def test_export_keeps_the_special_tokens(trained):
    out, _ = trained
    hf = AutoTokenizer.from_pretrained(str(out / "hf"))
    assert (hf.pad_token_id, hf.unk_token_id, hf.bos_token_id, hf.eos_token_id) == (0, 1, 2, 3)
    assert hf.eos_token == "<|endoftext|>" and len(hf) == 2000
    assert hf.convert_tokens_to_ids("<|code:python|>") > 3
    word = hf.encode("hei")
    assert hf.decode([*word, 3, *word], skip_special_tokens=True) == "hei hei"  # the dummy prefix is a space
    assert hf.decode([*word, 3]) == "hei<|endoftext|>"
    config = json.loads((out / "hf" / "tokenizer_config.json").read_text())
    assert config["tokenizer_class"] == "PreTrainedTokenizerFast" and config["split_special_tokens"] is True


def test_export_command_checks_real_documents(trained, tmp_path, capsys):
    out, _ = trained
    assert (
        main(
            [
                "tokenizer",
                "export",
                str(out),
                "--output",
                str(tmp_path / "hf"),
                "--check",
                str(CURATED / "isl"),
                str(CURATED / "code"),
            ]
        )
        == 0
    )
    assert "0 encoded differently" in capsys.readouterr().out
    assert AutoTokenizer.from_pretrained(str(tmp_path / "hf")).encode("Halló heimur") == spm.SentencePieceProcessor(
        model_file=str(out / "tokenizer.model")
    ).encode("Halló heimur")


def test_export_refuses_a_normalising_model(tmp_path):
    text = tmp_path / "t.txt"
    text.write_text("\n".join([f"Hei på deg, dette er en setning nummer {i}." for i in range(300)]))
    spm.SentencePieceTrainer.train(
        input=str(text),
        model_prefix=str(tmp_path / "nfkc"),
        vocab_size=100,
        model_type="bpe",
        normalization_rule_name="nmt_nfkc",
        minloglevel=2,
    )
    with pytest.raises(ConfigError, match="export supports identity normalisation only"):
        export_hf(str(tmp_path / "nfkc.model"), str(tmp_path / "hf"))
