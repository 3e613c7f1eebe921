"""`tokenizer train`: GPT-SW3's settings reach the model, training is deterministic, the sample follows the plan."""

import json

import pytest
import sentencepiece as spm
from sentencepiece import sentencepiece_model_pb2 as model_pb2

from nordic_pile.cli import main
from nordic_pile.errors import ConfigError
from nordic_pile.mixture.plan import Slice, Target, plan_from_targets
from nordic_pile.tokenizer.build import build_tokenizer
from nordic_pile.tokenizer.sample import training_lines
from nordic_pile.tokenizer.settings import TokenizerSettings
from tests.tokenizer.trained import CURATED, VOCAB, trained_tokenizer


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    return trained_tokenizer(tmp_path_factory)


def test_gpt_sw3_settings_are_in_the_model(trained):
    out, info = trained
    proto = model_pb2.ModelProto()
    proto.ParseFromString((out / "tokenizer.model").read_bytes())
    spec, norm = proto.trainer_spec, proto.normalizer_spec
    assert spec.model_type == model_pb2.TrainerSpec.BPE and spec.vocab_size == VOCAB
    assert spec.split_digits and spec.byte_fallback and spec.allow_whitespace_only_pieces
    assert norm.add_dummy_prefix and norm.name == "identity" and not norm.remove_extra_whitespaces
    sp = spm.SentencePieceProcessor(model_file=str(out / "tokenizer.model"))
    assert [sp.id_to_piece(i) for i in range(4)] == ["<pad>", "<unk>", "<s>", "<|endoftext|>"]
    assert (sp.pad_id(), sp.unk_id(), sp.bos_id(), sp.eos_id()) == (0, 1, 2, 3)
    pieces = {sp.id_to_piece(i) for i in range(sp.get_piece_size())}
    assert {"▁▁", "▁" * 4, "▁" * 24, "\t", "\n", "<|code:python|>"} <= pieces
    assert not any(len(p) > 1 and p.isdigit() for p in pieces)  # split digits
    # whitespace runs are single tokens, digits one each, unseen characters fall back to bytes (no <unk>)
    assert sp.encode_as_pieces("a\n        b 12 ☃") == [
        "▁a",
        "\n",
        "▁" * 8,
        "b",
        "▁",
        "1",
        "2",
        "▁",
        "<0xE2>",
        "<0x98>",
        "<0x83>",
    ]
    assert info["special_ids"] == {"vocab_size": VOCAB, "pad_id": 0, "unk_id": 1, "bos_id": 2, "eos_id": 3}


def test_training_is_deterministic_wherever_it_runs(trained, tmp_path):
    out, info = trained
    again = build_tokenizer(
        [str(CURATED)], str(tmp_path / "again"), TokenizerSettings(vocab_size=VOCAB), fraction=1.0, tasks=3, workers=1
    )
    assert (tmp_path / "again" / "tokenizer.model").read_bytes() == (out / "tokenizer.model").read_bytes()
    assert again["sha256"] == info["sha256"]
    assert (tmp_path / "again" / "hf" / "tokenizer.json").read_bytes() == (out / "hf" / "tokenizer.json").read_bytes()
    assert not (tmp_path / "again" / "sample").exists()  # the sample is removed unless --keep-sample


def test_the_sample_follows_the_plan(tmp_path):
    sizes = [Slice("books", "isl", 146453), Slice("help", "swe", 116044), Slice("books", "swe", 86000)]
    plan = plan_from_targets(sizes, [Target("books", "isl", 20), Target("help", "swe", 80)], total=300_000)
    info = build_tokenizer(
        [str(CURATED)],
        str(tmp_path / "tok"),
        TokenizerSettings(vocab_size=1000),
        plan,
        fraction=0.5,
        tasks=2,
        workers=1,
        export=False,
        keep_sample=True,
    )
    languages = info["sample_languages"]
    assert set(languages) == {"isl", "swe"}  # slices without a share are not sampled
    # half of the mixture: 30,000 bytes of Icelandic books and 120,000 of Swedish help, to within a document
    assert languages["isl"]["bytes"] == pytest.approx(30_000, abs=6_000)
    assert languages["swe"]["bytes"] == pytest.approx(120_000, abs=6_000)
    assert (tmp_path / "tok" / "sample").is_dir()


def test_long_lines_are_cut_at_spaces():
    text = "kort\n\n" + " ".join(["ord"] * 50) + "\n" + "x" * 30
    lines = training_lines(text, 40)
    assert lines[0] == "kort" and all(len(line.encode()) <= 40 for line in lines)
    assert "".join(lines[1:]).replace(" ", "") == ("ord" * 50 + "x" * 30)


def test_too_large_a_vocabulary_is_a_clear_error(tmp_path, capsys):
    with pytest.raises(ConfigError, match="leaves no room for learned pieces"):
        TokenizerSettings(vocab_size=300)
    code = main(
        [
            "tokenizer",
            "train",
            str(CURATED / "fao" / "wiki"),
            "--output",
            str(tmp_path / "t"),
            "--vocab-size",
            "60000",
            "--fraction",
            "1",
            "--workers",
            "1",
            "--no-export",
        ]
    )
    assert code == 2
    err = capsys.readouterr().err
    assert "too small for --vocab-size 60000: lower it or raise --fraction" in err
    assert json.loads((tmp_path / "t" / "job.json").read_text())["command"] == "tokenizer train"
