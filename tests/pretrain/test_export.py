"""Checkpoints export to transformers models that load offline and give our logits."""

import pytest
import torch

from nordic_pile.errors import ConfigError
from nordic_pile.pretrain.bert import Bert, BertConfig
from nordic_pile.pretrain.export import export, load_checkpoint
from nordic_pile.pretrain.model import GPT, GPTConfig, document_attention_mask
from tests.pretrain.helpers import fit


def test_gpt_export_round_trip_gives_the_same_logits(gpt_data, tmp_path):
    from transformers import AutoModelForCausalLM, AutoTokenizer

    root = fit(gpt_data, tmp_path / "run", "--trainer.max_steps=3", "--model.config.dropout=0.1")
    ckpt = root / "checkpoints" / "last.ckpt"
    out = tmp_path / "hf"
    assert export(str(ckpt), str(out)) == "GPT2LMHeadModel"
    state, meta = load_checkpoint(str(ckpt))
    ours = GPT(GPTConfig(**meta["config"]))
    ours.load_state_dict(state)
    ours.eval()
    hf = AutoModelForCausalLM.from_pretrained(str(out), local_files_only=True).eval()
    tok = AutoTokenizer.from_pretrained(str(out), local_files_only=True)
    sentence = tok("Han fikk oversendt det skriftlige materialet og begynte å gå gjennom papirene.")["input_ids"]
    idx = torch.stack([torch.tensor(sentence[:20]), torch.randint(0, meta["config"]["vocab_size"], (20,))])
    with torch.no_grad():
        ours_logits, _ = ours(idx)
        hf_logits = hf(idx).logits
    assert hf_logits.shape == ours_logits.shape
    torch.testing.assert_close(hf_logits, ours_logits, atol=1e-5, rtol=1e-5)
    assert len(tok) == meta["config"]["vocab_size"] and tok.eos_token_id == 3


def test_export_refuses_a_tokenizer_of_another_vocabulary(gpt_data, tmp_path):
    from tests.pretrain.fixtures import train_tokenizer

    root = fit(gpt_data, tmp_path / "run", "--trainer.max_steps=1")
    other = train_tokenizer(tmp_path / "other", vocab_size=300)
    with pytest.raises(ConfigError, match="has 300 tokens but the model's vocabulary is 400"):
        export(str(root / "checkpoints" / "last.ckpt"), str(tmp_path / "hf"), tokenizer=str(other))


def test_document_mask_keeps_documents_apart():
    torch.manual_seed(0)
    cfg = GPTConfig(n_layer=2, n_head=2, n_embd=16, block_size=16, vocab_size=30, document_mask=True, eos_id=3)
    model = GPT(cfg).eval()
    first, second = [5, 6, 7, 3], [8, 9, 10, 11, 12]
    with torch.no_grad():
        packed, _ = model(torch.tensor([first + second]))
    mask = document_attention_mask(torch.tensor([first + second]), 3)[0]
    expected = torch.zeros(9, 9, dtype=torch.bool)
    expected[:4, :4] = torch.ones(4, 4, dtype=torch.bool).tril()  # the first document ends with its EOS
    expected[4:, 4:] = torch.ones(5, 5, dtype=torch.bool).tril()
    assert torch.equal(mask, expected)
    plain = GPT(GPTConfig(**{**cfg.__dict__, "document_mask": False})).eval()
    plain.load_state_dict(model.state_dict())
    with torch.no_grad():
        leaky, _ = plain(torch.tensor([first + second]))
    assert torch.allclose(packed[0, :4], leaky[0, :4], atol=1e-6)  # causal: the first document is unchanged
    assert not torch.allclose(packed[0, 4:], leaky[0, 4:], atol=1e-4)  # the second no longer sees the first


@pytest.mark.parametrize("nsp", [False, True])
def test_bert_export_round_trip_gives_the_same_logits(bert_data, tmp_path, nsp):
    from transformers import AutoModelForMaskedLM, AutoTokenizer

    config = ["--config", "bert_tiny", "--trainer.enable_progress_bar=false", "--trainer.enable_model_summary=false"]
    root = fit(
        bert_data,
        tmp_path / "run",
        "--trainer.max_steps=2",
        f"--data.nsp={nsp}",
        command=("bert", "fit"),
        config=config,
    )
    out = tmp_path / "hf"
    name = export(str(root / "checkpoints" / "last.ckpt"), str(out))
    assert name == ("BertForPreTraining" if nsp else "BertForMaskedLM")
    state, meta = load_checkpoint(str(root / "checkpoints" / "last.ckpt"))
    ours = Bert(BertConfig(**meta["config"])).eval()
    ours.load_state_dict(state)
    hf = AutoModelForMaskedLM.from_pretrained(str(out), local_files_only=True).eval()
    tok = AutoTokenizer.from_pretrained(str(out), local_files_only=True)
    assert tok.mask_token == "[MASK]" and tok.mask_token_id == meta["config"]["vocab_size"] - 1
    assert tok.cls_token_id == 2 and tok.sep_token_id == 3
    pair = tok("Det er en [MASK] dag.", "Og i morgon?")
    ids = pair["input_ids"]
    assert ids[0] == 2 and ids[-1] == 3 and ids.count(3) == 2 and tok.mask_token_id in ids  # [CLS] A [SEP] B [SEP]
    assert pair["token_type_ids"] == [0] * (ids.index(3) + 1) + [1] * (len(ids) - ids.index(3) - 1)
    assert tok.model_max_length == 128
    idx = torch.randint(4, 400, (2, 20))
    idx[:, 0], idx[1, 15:] = 2, 0  # [CLS] ..., padding at the end of the second
    segments = torch.zeros_like(idx)
    segments[:, 10:] = 1
    with torch.no_grad():
        ours_logits = ours.mlm_logits(ours.encode(idx, segments))
        hf_logits = hf(input_ids=idx, token_type_ids=segments, attention_mask=(idx != 0).long()).logits
    keep = idx != 0  # padded positions are not compared (HF lets padding attend to itself)
    torch.testing.assert_close(hf_logits[keep], ours_logits[keep], atol=1e-4, rtol=1e-4)
    if nsp:
        from transformers import BertForPreTraining

        full = BertForPreTraining.from_pretrained(str(out), local_files_only=True).eval()
        with torch.no_grad():
            theirs = full(input_ids=idx, token_type_ids=segments, attention_mask=(idx != 0).long())
            torch.testing.assert_close(
                theirs.seq_relationship_logits, ours.nsp_logits(ours.encode(idx, segments)), atol=1e-4, rtol=1e-4
            )


def test_a_checkpoint_is_evaluated_through_its_export(gpt_data, tmp_path):
    """`nordic-pile eval ppl --model last.ckpt` exports the checkpoint on the fly: the same figures as its export."""
    from nordic_pile.evaluate.ppl_task import evaluate_perplexity
    from nordic_pile.evaluate.texts import read_eval_docs

    root = fit(gpt_data, tmp_path / "run", "--trainer.max_steps=2")
    ckpt = root / "checkpoints" / "last.ckpt"
    export(str(ckpt), str(tmp_path / "hf"))
    docs = tmp_path / "docs.jsonl"
    docs.write_text('{"text": "Han fikk oversendt det skriftlige materialet.", "metadata": {"language": "nob"}}\n')
    data = read_eval_docs([str(docs)])
    via_ckpt = evaluate_perplexity(str(ckpt), data)
    assert via_ckpt["overall"] == evaluate_perplexity(str(tmp_path / "hf"), data)["overall"]
    assert via_ckpt["overall"]["tokens"] > 5
