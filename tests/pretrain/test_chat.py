"""Instruction-tuning data in GPT-SW3's formats, merged, packed, and fine-tuned on from a pretrained checkpoint."""

import json

import numpy as np
import pytest
import torch

from nordic_pile.cli import main as nordic_pile_main
from nordic_pile.errors import InputError
from nordic_pile.packing.indexed import IndexedDataset
from nordic_pile.pretrain.chat import ChatFormat, Turn, merge_counts, merge_examples, parse_record, render_text
from nordic_pile.pretrain.export import load_checkpoint
from tests.pretrain.helpers import fit, step_losses

CONVERSATION = [
    Turn("user", "Vad är huvudstaden i Norge?"),
    Turn("assistant", "Oslo."),
    Turn("user", "Og i Danmark?"),
    Turn("assistant", "København."),
]


def test_chat_format_is_gpt_sw3s():
    assert render_text(CONVERSATION[:2], ChatFormat("chat")) == (
        "<|endoftext|><s>\nUser:\nVad är huvudstaden i Norge?\n<s>\nAssistant:\nOslo.\n"
    )
    assert render_text(CONVERSATION[:2], ChatFormat("chat", assistant="Bot")).endswith("<s>\nBot:\nOslo.\n")


def test_unrolled_format_separates_turns_by_blank_lines():
    assert render_text(CONVERSATION, ChatFormat("unrolled")) == (
        "User: Vad är huvudstaden i Norge?\n\nAssistant: Oslo.\n\nUser: Og i Danmark?\n\nAssistant: København."
    )


def test_merge_counts_are_geometric():
    counts = merge_counts(20000, 0.4, seed=1)
    assert sum(counts) == 20000 and min(counts) == 1
    assert np.mean(counts) == pytest.approx(1 / 0.4, rel=0.05)
    assert np.mean(np.array(counts) == 1) == pytest.approx(0.4, abs=0.02)  # P(k = 1) = p
    assert merge_counts(5, 1.0, seed=1) == [1] * 5
    assert merge_counts(100, 0.4, seed=1) == merge_counts(100, 0.4, seed=1)


def test_merged_examples_hold_every_conversation_once_joined_by_eos():
    conversations = [[10 + i, 20 + i] for i in range(50)]
    examples = merge_examples(conversations, eos_id=3, p=0.5, seed=2)
    pieces = [piece for e in examples for piece in np.split(np.array(e), np.flatnonzero(np.array(e) == 3))]
    found = sorted(tuple(int(t) for t in p if t != 3) for p in pieces)
    assert found == sorted(tuple(c) for c in conversations)
    assert any(3 in e for e in examples) and all(e[-1] != 3 for e in examples)


def test_sharegpt_and_openai_records_and_a_clear_error():
    assert parse_record({"conversations": [{"from": "human", "value": "Hej"}, {"from": "gpt", "value": "Hej!"}]}, "x")[
        1
    ] == Turn("assistant", "Hej!")
    with pytest.raises(InputError, match="f.jsonl:3: turn"):
        parse_record({"messages": [{"role": "narrator", "content": "..."}]}, "f.jsonl:3")


def test_chat_data_packs_and_fine_tunes_from_a_pretrained_checkpoint(gpt_data, tokenizer_dir, tmp_path, capsys):
    from transformers import AutoTokenizer

    records = [
        {
            "messages": [
                {"role": "user", "content": f"Hvad er {i} plus {i}?"},
                {"role": "assistant", "content": f"Det er {2 * i}."},
            ]
        }
        for i in range(200)
    ]
    source = tmp_path / "chat.jsonl"
    source.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records) + "\n", encoding="utf-8")
    packed = tmp_path / "chat"
    assert (
        nordic_pile_main(
            [
                "pretrain",
                "chat-data",
                str(source),
                "--tokenizer",
                str(tokenizer_dir),
                "--output",
                str(packed),
                "--merge-p",
                "0.5",
            ]
        )
        == 0
    )
    assert "200 conversations ->" in capsys.readouterr().out
    shard = IndexedDataset(str(packed / "chat_00000"))
    stream = np.asarray(shard.tokens)
    assert shard.num_documents < 200 and (stream == 3).sum() == 200  # merged; every conversation ends with <eos>
    starts = np.flatnonzero(stream == 2)  # <bos>: two per conversation (User, Assistant)
    assert len(starts) == 400 and stream[0] == 2 and (stream[np.flatnonzero(stream == 3)[:-1] + 1] == 2).all()
    tok = AutoTokenizer.from_pretrained(str(tokenizer_dir))
    text = tok.decode(stream[:40].tolist())
    assert "<s>\nUser:\nHvad er" in text.replace("\n ", "\n").replace("> \n", ">\n") and "<unk>" not in text

    pretrained = fit(gpt_data, tmp_path / "pretrained", "--trainer.max_steps=20")
    ckpt = pretrained / "checkpoints" / "last.ckpt"
    tuned = fit(
        packed,
        tmp_path / "tuned",
        "--trainer.max_steps=20",
        f"--model.init_from={ckpt}",
        "--model.schedule.warmup_tokens=0",
        "--model.schedule.max_lr=1e-3",
    )
    losses = step_losses(tuned)
    assert losses[19] < losses[0] - 0.5
    # the first step started from the pretrained weights: a step at a negligible rate leaves them in place
    first = fit(
        packed,
        tmp_path / "first",
        "--trainer.max_steps=1",
        f"--model.init_from={ckpt}",
        "--model.schedule.max_lr=1e-12",
    )
    before, _ = load_checkpoint(str(ckpt))
    after, meta = load_checkpoint(str(first / "checkpoints" / "last.ckpt"))
    assert all(torch.allclose(before[k], after[k], atol=1e-9) for k in before)


def test_fine_tuning_on_data_of_another_vocabulary_is_one_clear_line(gpt_data, tmp_path, capsys):
    from tests.pretrain.fixtures import pack, train_tokenizer

    pretrained = fit(gpt_data, tmp_path / "pretrained", "--trainer.max_steps=1")
    other = pack(tmp_path / "other", train_tokenizer(tmp_path / "tok", vocab_size=300))
    code = nordic_pile_main(
        [
            "pretrain",
            "fit",
            "--config",
            "gpt_tiny",
            "--data.path",
            str(other),
            "--trainer.default_root_dir",
            str(tmp_path / "tuned"),
            f"--model.init_from={pretrained / 'checkpoints' / 'last.ckpt'}",
        ]
    )
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2
    assert "has a vocabulary of 400 but the packed shards were made with" in err[-1]
    assert "(300 tokens" in err[-1] and err[-1].startswith("nordic-pile pretrain: error:")
    assert torch.load(pretrained / "checkpoints" / "last.ckpt", weights_only=True)["global_step"] == 1
