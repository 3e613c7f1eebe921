import json
import math
import unicodedata
from types import SimpleNamespace

import pytest
import torch

from nordic_pile.cli import main
from nordic_pile.errors import ConfigError, InputError
from nordic_pile.evaluate.perplexity import PplSums, document_sums, score_token_lists
from nordic_pile.evaluate.ppl_task import evaluate_perplexity
from nordic_pile.evaluate.texts import read_eval_docs
from tests.evaluate.conftest import DOCS

# next-token probabilities of a bigram toy model over 3 tokens: row = current token
P = [[0.5, 0.25, 0.25], [0.25, 0.25, 0.5], [0.1, 0.8, 0.1]]


class Bigram(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.table = torch.nn.Parameter(torch.log(torch.tensor(P)))

    def forward(self, input_ids, attention_mask):
        return SimpleNamespace(logits=self.table[input_ids] + 3.0)  # any shift: log-softmax removes it


def test_ppl_c_of_a_hand_computed_toy_model():
    seq = [0, 1, 2, 1]  # prefix token 0, then the document's tokens 1 2 1
    [(loglik, tokens)] = score_token_lists(Bigram(), [seq], window=8)
    expected = math.log(0.25) + math.log(0.5) + math.log(0.8)
    assert tokens == 3 and loglik == pytest.approx(expected, abs=1e-6)
    text = "Måns"  # 4 characters, 5 UTF-8 bytes
    m = document_sums(text, loglik, tokens).metrics()
    assert m["ppl_c"] == pytest.approx(math.exp(-expected / 4), rel=1e-6)
    assert m["bits_per_byte"] == pytest.approx(-expected / (5 * math.log(2)), rel=1e-6)
    assert m["token_ppl"] == pytest.approx(math.exp(-expected / 3), rel=1e-6)
    assert (m["chars"], m["bytes"], m["tokens"]) == (4, 5, 3)


def test_windows_do_not_change_a_bigram_score(monkeypatch):
    from nordic_pile.evaluate import perplexity

    monkeypatch.setattr(perplexity, "ROWS_AT_ONCE", 3)  # log-softmax in slices of 3 positions
    seqs = [[0] + [1, 2, 2, 1, 0, 1, 2] * 5, [0, 2], [0, 1, 1, 2]]
    full = score_token_lists(Bigram(), seqs, window=64)
    for window, stride in ((4, 4), (4, 1), (3, 2), (1, 1)):
        windowed = score_token_lists(Bigram(), seqs, window=window, stride=stride, batch_tokens=8)
        assert [t for _, t in windowed] == [t for _, t in full] == [35, 1, 3]
        assert [ll for ll, _ in windowed] == pytest.approx([ll for ll, _ in full], abs=1e-9)


def test_sums_first_then_divides_once():
    a = PplSums(nll=10.0, tokens=5, chars=10, bytes=10, documents=1)
    b = PplSums(nll=30.0, tokens=5, chars=40, bytes=44, documents=1)
    m = (a + b).metrics()
    assert m["ppl_c"] == pytest.approx(math.exp(40 / 50))  # not the mean of exp(1) and exp(0.75)
    assert m["bits_per_byte"] == pytest.approx(40 / (54 * math.log(2)))
    assert (m["chars"], m["tokens"], m["documents"]) == (50, 10, 2)


def test_documents_are_read_nfc_with_language_and_source():
    data = read_eval_docs([str(DOCS)])
    assert len(data.docs) == 19 and data.files == [str(DOCS)] and len(data.sha256) == 64
    assert data.docs[-1].text == data.docs[1].text  # the NFD copy of document 1 is scored as NFC
    assert data.docs[-1].text == unicodedata.normalize("NFC", data.docs[-1].text)
    assert [d.language for d in data.docs[::3]] == ["swe", "nob", "nno", "dan", "isl", "fao", "swe"]
    assert {d.source for d in data.docs} == {"ud"}
    assert read_eval_docs([str(DOCS)], limit=2).sha256 != data.sha256


def test_window_shapes_context_not_what_is_counted(tiny_llama, tmp_path):
    data = read_eval_docs([str(DOCS)], limit=4)
    ctx = evaluate_perplexity(str(tiny_llama), data, window=32)
    small = evaluate_perplexity(str(tiny_llama), data, window=8, stride=8)
    strided = evaluate_perplexity(str(tiny_llama), data, window=16, stride=4)
    assert ctx["overall"]["tokens"] == small["overall"]["tokens"] == strided["overall"]["tokens"] > 32 * 4
    assert ctx["overall"]["chars"] == sum(len(d.text) for d in data.docs)
    assert small["overall"]["nll_nats"] != pytest.approx(ctx["overall"]["nll_nats"], rel=1e-4)


def test_short_document_equals_one_direct_forward_pass(tiny_llama, tmp_path):
    from transformers import AutoModelForCausalLM, AutoTokenizer

    text = "Hun bor i Oslo."
    path = tmp_path / "short.jsonl"
    path.write_text(json.dumps({"text": text, "lang": "nb"}) + "\n", encoding="utf-8")
    ours = evaluate_perplexity(str(tiny_llama), read_eval_docs([str(path)]))
    tok = AutoTokenizer.from_pretrained(tiny_llama)
    model = AutoModelForCausalLM.from_pretrained(tiny_llama).eval()
    ids = [tok.bos_token_id] + tok(text, add_special_tokens=False)["input_ids"]
    assert len(ids) <= 32
    with torch.no_grad():
        logprobs = torch.log_softmax(model(torch.tensor([ids])).logits[0, :-1].double(), dim=-1)
    direct = float(logprobs.gather(1, torch.tensor(ids[1:])[:, None]).sum())
    assert ours["overall"]["tokens"] == len(ids) - 1
    assert ours["overall"]["nll_nats"] == pytest.approx(-direct, rel=1e-5)
    assert ours["overall"]["ppl_c"] == pytest.approx(math.exp(-direct / len(text)), rel=1e-5)


def test_bits_per_byte_equal_lm_evaluation_harness(tiny_llama):
    huggingface = pytest.importorskip("lm_eval.models.huggingface")
    from lm_eval.api.instance import Instance

    data = read_eval_docs([str(DOCS)])
    ours = evaluate_perplexity(str(tiny_llama), data, by=("language",))
    assert ours["window"] == 32 and ours["stride"] == 32 and ours["overall"]["tokens"] > 32 * len(data.docs) // 4
    lm = huggingface.HFLM(pretrained=str(tiny_llama), batch_size=8, device="cpu")
    requests = [Instance("loglikelihood_rolling", {}, (d.text,), i) for i, d in enumerate(data.docs)]
    logliks = lm.loglikelihood_rolling(requests, disable_tqdm=True)
    n_bytes = sum(len(d.text.encode("utf-8")) for d in data.docs)
    theirs = -sum(logliks) / n_bytes / math.log(2)  # lm-eval's bits_per_byte aggregation
    assert ours["overall"]["bits_per_byte"] == pytest.approx(theirs, abs=1e-3)
    assert ours["overall"]["bits_per_byte"] == pytest.approx(theirs, rel=1e-5)  # in fact far closer
    o = ours["overall"]
    assert o["ppl_c"] == pytest.approx(math.exp(o["bits_per_byte"] * math.log(2) * o["bytes"] / o["chars"]))
    isl = [d for d in data.docs if d.language == "isl"]
    isl_ll = sum(ll for ll, d in zip(logliks, data.docs, strict=True) if d.language == "isl")
    assert ours["by_language"]["isl"]["nll_nats"] == pytest.approx(-isl_ll, rel=1e-5)
    assert ours["by_language"]["isl"]["chars"] == sum(len(d.text) for d in isl)


def test_cli_tables_json_and_results_files(tiny_llama, tmp_path, capsys):
    out = tmp_path / "ppl"
    args = [
        "eval",
        "ppl",
        "--model",
        str(tiny_llama),
        "--model",
        str(tiny_llama),
        "--data",
        str(DOCS),
        "--by",
        "language",
        "source",
        "--window",
        "16",
        "--stride",
        "8",
    ]
    assert main([*args, "--format", "json", "--output", str(out)]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result == json.loads((out / "results.json").read_text(encoding="utf-8"))
    model = result["models"][0]
    assert (model["window"], model["stride"]) == (16, 8) and "bos" in model["prefix"]
    for table in (model["overall"], *model["by_language"].values(), *model["by_source"].values()):
        assert {"ppl_c", "bits_per_byte", "token_ppl", "chars", "tokens"} <= set(table)
    assert set(model["by_language"]) == {"swe", "nob", "nno", "dan", "isl", "fao"}
    assert sum(t["chars"] for t in model["by_language"].values()) == model["overall"]["chars"]
    assert result["data"]["sha256"] and result["software"]["torch"] and model["tokenizer"]["files_sha256"]
    markdown = (out / "results.md").read_text(encoding="utf-8")
    assert "stride 8 (overlapping)" in markdown and "| Norwegian Nynorsk (nno) |" in markdown.replace(" | ", " |\n| ")
    assert main([*args, "--format", "csv"]) == 0
    rows = capsys.readouterr().out.splitlines()
    assert rows[0].startswith("model,window,stride,group_by,group,ppl_c") and len(rows) == 1 + 2 * (1 + 6 + 1)
    assert main(["eval", "table", str(out / "results.json"), str(out / "results.json")]) == 0
    assert capsys.readouterr().out.count(tiny_llama.name) == 4 * 2  # 2 models per file, table and detail lines


def test_unreadable_model_directory_is_one_clear_line(tmp_path, capsys):
    empty = tmp_path / "empty"
    empty.mkdir()
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "config.json").write_text("{not json", encoding="utf-8")
    for model, message in (
        (tmp_path / "missing", "no such file or directory"),
        (empty, "not a transformers model directory (no config.json)"),
        (broken, "config.json is unreadable"),
    ):
        assert main(["eval", "ppl", "--model", str(model), "--data", str(DOCS)]) == 2
        err = capsys.readouterr().err.strip()
        assert message in err and str(model) in err and len(err.splitlines()) == 1


def test_unreadable_checkpoint_missing_exporter_and_bad_options(tiny_llama, tiny_bert, tmp_path, monkeypatch):
    from nordic_pile.evaluate import loading

    ckpt = tmp_path / "last.ckpt"
    ckpt.write_bytes(b"\0")
    data = read_eval_docs([str(DOCS)], limit=1)
    with pytest.raises(InputError, match="last.ckpt is not a readable PyTorch checkpoint"):
        evaluate_perplexity(str(ckpt), data)
    monkeypatch.setitem(loading.CHECKPOINT_EXPORTERS, ".ckpt", "no_such_module:export")
    with pytest.raises(InputError, match="export the checkpoint to a transformers directory"):
        evaluate_perplexity(str(ckpt), data)
    with pytest.raises(InputError, match="a BertForMaskedLM, not a causal LM"):
        evaluate_perplexity(str(tiny_bert), data)
    with pytest.raises(ConfigError, match="longer than the model's context"):
        evaluate_perplexity(str(tiny_llama), data, window=64)
    with pytest.raises(ConfigError, match="--prefix"):
        evaluate_perplexity(str(tiny_llama), data, prefix="cls")
    with pytest.raises(InputError, match="no such file"):
        read_eval_docs([str(tmp_path / "none.jsonl")])


def test_prefix_none_scores_all_but_the_first_token(tiny_llama):
    data = read_eval_docs([str(DOCS)], limit=1)
    with_bos = evaluate_perplexity(str(tiny_llama), data)
    without = evaluate_perplexity(str(tiny_llama), data, prefix="none")
    assert without["overall"]["tokens"] == with_bos["overall"]["tokens"] - len(data.docs)


EXPORTED_FROM = {}


def _export_for_test(ckpt: str, out_dir: str) -> None:
    """Stands in for nordic_pile.pretrain.export.export_checkpoint: writes a transformers directory."""
    import shutil

    shutil.copytree(EXPORTED_FROM["dir"], out_dir, dirs_exist_ok=True)


def test_checkpoint_goes_through_the_exporter_interface(tiny_llama, tmp_path, monkeypatch):
    from nordic_pile.evaluate import loading

    ckpt = tmp_path / "epoch=1.ckpt"
    ckpt.write_bytes(b"lightning")
    EXPORTED_FROM["dir"] = tiny_llama
    monkeypatch.setitem(loading.CHECKPOINT_EXPORTERS, ".ckpt", f"{__name__}:_export_for_test")
    data = read_eval_docs([str(DOCS)], limit=1)
    via_ckpt = evaluate_perplexity(str(ckpt), data)
    direct = evaluate_perplexity(str(tiny_llama), data)
    assert via_ckpt["overall"] == direct["overall"]
