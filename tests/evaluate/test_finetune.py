"""Fine-tuning end to end through the command line, on real Danish DDT (NER, UPOS) and UD sentences with tiny random
models. The CoNLL-U and `.bio` files are in NorNE's layouts, built by tests/data/ner/make_ddt_fixtures.py."""

import json

import pytest

from nordic_pile.cli import main
from tests.evaluate.conftest import DATA, NER

FAST = ["--batch-size", "16", "--patience", "2", "--max-length", "64", "--threads", "1"]


def _run(capsys, command: str) -> dict:
    assert main(["eval", *command.split(), *FAST, "--format", "json"]) == 0
    return json.loads(capsys.readouterr().out)


def _splits(train: str, dev: str = "da_ddt_dev.conllu", test: str = "da_ddt_test.conllu") -> str:
    return f"--train {NER / train} --dev {NER / dev} --test {NER / test}"


def test_tiny_ner_fine_tune_beats_the_majority_baseline(tiny_bert, tmp_path, capsys):
    result = _run(
        capsys,
        f"ner --model {tiny_bert} {_splits('da_ddt_train.bio')} --seeds 1 --lr 2e-3 --epochs 4 "
        f"--allow-unseen-labels --output {tmp_path / 'ner'}",
    )
    f1 = result["summary"]["f1"]
    assert result["baseline"]["tag"] == "O" and result["baseline"]["f1"] == 0.0
    assert f1["mean"] > 0.1, f1  # 0.2-0.3 over seeds when written; the all-O majority baseline scores 0
    run = result["runs"][0]
    assert run["test"]["f1"] == f1["mean"] and run["train_seconds"] > 0 and run["history"]
    assert {"PER", "ORG", "LOC"} <= set(result["summary"]["per_type_f1"])
    assert result["data"]["train"]["files"][0]["format"] == "columns"
    assert (
        result["data"]["test"]["files"][0]["format"] == "conllu"
        and len(result["data"]["test"]["files"][0]["sha256"]) == 64
    )
    assert result["settings"]["schedule"] == "stlr" and result["seeds"] == [1]
    assert {"torch", "transformers", "python"} <= set(result["software"])
    markdown = (tmp_path / "ner" / "results.md").read_text(encoding="utf-8")
    assert "strict span micro-F1" in markdown and "| PER |" in markdown


def test_pos_fine_tune_beats_the_majority_tag(tiny_bert, capsys):
    result = _run(
        capsys,
        f"pos --model {tiny_bert} {_splits('da_ddt_pos_train.conllu')} --seeds 1 --lr 3e-3 "
        "--epochs 4 --allow-unseen-labels",
    )
    assert result["metric"] == "accuracy" and result["baseline"]["tag"] == "NOUN"
    assert result["summary"]["accuracy"]["mean"] > result["baseline"]["accuracy"] + 0.1


def test_classification_over_seeds_encoder_and_decoder(tiny_bert, tiny_llama, capsys):
    files = " ".join(f"--{s} {DATA / 'evaluate' / f'ud_lang_{s}.jsonl'}" for s in ("train", "dev", "test"))
    bert = _run(capsys, f"classify --model {tiny_bert} {files} --seeds 1 2 --lr 3e-3 --epochs 3")
    assert bert["pooling"] == "cls" and bert["labels"] == ["da", "nb", "sv"]
    summary = bert["summary"]
    assert summary["macro_f1"]["n"] == 2 and summary["macro_f1"]["sd"] is not None
    assert summary["macro_f1"]["mean"] > 0.5, summary  # 0.89 when written; three balanced classes: chance 0.33
    assert summary["mcc"]["mean"] > bert["baseline"]["mcc"] == 0.0
    # a decoder classifies from its last token, here with discriminative rates and gradual unfreezing
    llama = _run(
        capsys, f"classify --model {tiny_llama} {files} --seeds 1 --lr 3e-3 --epochs 2 --layer-decay 2.6 --unfreeze 1"
    )
    assert llama["pooling"] == "last" and llama["settings"]["max_length_used"] == 32  # the model's context
    assert llama["settings"]["layer_decay"] == 2.6 and llama["runs"][0]["steps"] == 2 * 19  # 300 examples, 16 a batch


def test_label_set_mismatch_stops_before_training(tiny_bert, capsys):
    sv = str(NER / "sv_webbnyheter_test_slice.txt")  # PER, LOC, MISC; the Danish test file also has ORG
    args = [
        "eval",
        "ner",
        "--model",
        str(tiny_bert),
        "--train",
        sv,
        "--dev",
        sv,
        "--test",
        str(NER / "da_ddt_test.conllu"),
    ]
    assert main(args) == 2
    err = capsys.readouterr().err.strip()
    assert "label set mismatch: --test" in err and "--allow-unseen-labels" in err and len(err.splitlines()) == 1
    assert "ORG" in err and "da_ddt_test.conllu:" in err


@pytest.mark.parametrize("task", ["ner", "classify"])
def test_unreadable_model_directory_for_fine_tuning(tmp_path, capsys, task):
    (tmp_path / "model").mkdir()
    (tmp_path / "model" / "config.json").write_text('{"model_type": "bert"}', encoding="utf-8")
    train = str(NER / "da_ddt_dev_slice.conll") if task == "ner" else str(DATA / "evaluate" / "ud_lang_dev.jsonl")
    assert (
        main(["eval", task, "--model", str(tmp_path / "model"), "--train", train, "--dev", train, "--test", train])
        == 2
    )
    err = capsys.readouterr().err.strip()
    assert "no tokenizer files" in err and len(err.splitlines()) == 1


def test_decoder_with_a_token_head(tiny_llama, capsys):
    ddt = _splits("da_ddt_dev_slice.conll", "da_ddt_dev_slice.conll", "da_ddt_dev_slice.conll")
    result = _run(capsys, f"ner --model {tiny_llama} {ddt} --seeds 1 --epochs 1 --lr 1e-3")
    assert result["model"]["model_type"] == "llama" and 0 <= result["summary"]["f1"]["mean"] <= 1
    train = result["data"]["train"]
    assert train["split_sentences"] > 0 and train["words_without_subwords"] == 0  # context 32: scored in pieces
    assert result["runs"][0]["steps"] > 31 // 16  # more pieces than sentences
