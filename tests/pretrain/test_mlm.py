"""NorBERT-style data: dynamic 80/10/10 masking, NSP pairs that stay inside their document."""

import numpy as np
import pytest

from nordic_pile.errors import ConfigError
from nordic_pile.packing.indexed import IndexedDataset
from nordic_pile.pretrain.bert import IGNORE
from nordic_pile.pretrain.mlm_data import Masker, MLMDataModule, SentencePairs
from tests.pretrain.helpers import fit, step_losses

CLS, SEP, PAD, MASK = 2, 3, 0, 400


def test_masking_statistics_are_15_percent_and_80_10_10():
    masker = Masker(CLS, SEP, PAD, MASK, vocab_size=400, seq_len=128, seed=7)
    rng = np.random.default_rng(0)
    chosen = masked = randomised = kept = maskable = 0
    for position in range(2000):
        a, b = rng.integers(4, 400, rng.integers(20, 62)), rng.integers(4, 400, rng.integers(1, 62))
        out = masker((a, b, 0), position)
        original = np.concatenate([[CLS], a, [SEP], b, [SEP]])
        ids, labels = out["idx"].numpy()[: len(original)], out["labels"].numpy()[: len(original)]
        picked = labels != IGNORE
        assert not picked[[0, len(a) + 1, len(original) - 1]].any()  # [CLS] and [SEP] are never predicted
        assert picked.sum() == max(1, round(0.15 * (len(a) + len(b))))  # BERT: round(15% of the tokens)
        assert (labels[picked] == original[picked]).all()
        chosen += picked.sum()
        maskable += len(original) - 3
        masked += (ids[picked] == MASK).sum()
        kept += (ids[picked] == original[picked]).sum()
        randomised += ((ids[picked] != MASK) & (ids[picked] != original[picked])).sum()
        assert (ids[~picked] == original[~picked]).all()
        assert (out["idx"].numpy()[len(original) :] == PAD).all()
        assert out["segments"].numpy()[: len(original)].tolist() == [0] * (len(a) + 2) + [1] * (len(b) + 1)
    assert chosen / maskable == pytest.approx(0.15, abs=0.005)
    assert masked / chosen == pytest.approx(0.8, abs=0.01)
    # a random replacement equal to the original (1 in 396) counts as kept
    assert randomised / chosen == pytest.approx(0.1, abs=0.01)
    assert kept / chosen == pytest.approx(0.1, abs=0.01)


def test_masking_is_dynamic_across_epochs_and_repeatable():
    masker = Masker(CLS, SEP, PAD, MASK, vocab_size=400, seq_len=64, seed=7)
    pair = (np.arange(10, 40), np.arange(50, 70), 0)
    first, again, next_epoch = masker(pair, 5), masker(pair, 5), masker(pair, 5 + 1000)
    assert (first["labels"] == again["labels"]).all()
    assert not (first["labels"] == next_epoch["labels"]).all()


def test_nsp_pairs_never_cross_documents(bert_data):
    pairs = SentencePairs(str(bert_data), seq_len=64, split="train", validation_fraction=0.05, seed=3, nsp=True)
    shards = [IndexedDataset(str(bert_data / s.prefix)) for s in pairs.manifest.shards]
    swapped = pairable = 0
    for i, (k, first, split, end, swap) in enumerate(pairs.rows.tolist()):
        starts = shards[k].document_indices
        doc = np.searchsorted(starts, first, side="right") - 1
        assert starts[doc] <= first < split <= end <= starts[doc + 1]  # one document, in order
        a, b, label = pairs[i]
        assert len(a) + len(b) <= 64 - 3
        sentences = [shards[k][j] for j in range(first, end)]
        if split < end:
            pairable += 1
            swapped += swap
            head = np.concatenate(sentences[: split - first]).tolist()
            tail = np.concatenate(sentences[split - first :]).tolist()
            # positives: A then the sentences that follow it; negatives: the same two segments swapped
            assert label == swap
            first_part, second_part = (b, a) if swap else (a, b)  # undo the swap
            # truncation may trim either end of the longer segment, so each is a contiguous slice of its side
            assert _is_slice(first_part.tolist(), head) and _is_slice(second_part.tolist(), tail)
        else:
            assert label == IGNORE  # a one-sentence chunk has no pair
    assert pairable > 20 and 0.3 < swapped / pairable < 0.7


def _is_slice(part: list, whole: list) -> bool:
    return any(whole[i : i + len(part)] == part for i in range(len(whole) - len(part) + 1))


def test_bert_trains_with_nsp_and_appends_a_mask_token(bert_data, tmp_path):
    data = MLMDataModule(str(bert_data), seq_len=64, nsp=True)
    assert data.mask_id == 400 and data.vocab_size == 401  # the test tokenizer has no mask token
    config = ["--config", "bert_tiny", "--trainer.enable_progress_bar=false", "--trainer.enable_model_summary=false"]
    root = fit(
        bert_data,
        tmp_path / "run",
        "--trainer.max_steps=40",
        "--data.nsp=true",
        "--model.schedule.max_lr=3e-3",
        command=("bert", "fit"),
        config=config,
    )
    losses = step_losses(root)
    assert np.mean([losses[s] for s in range(35, 40)]) < np.mean([losses[s] for s in range(5)]) - 0.5
    # NorBERT's second phase: longer sequences, starting from the first phase's weights (vocabulary 400 + [MASK])
    phase2 = fit(
        bert_data,
        tmp_path / "phase2",
        "--trainer.max_steps=2",
        "--data.nsp=true",
        "--data.seq_len=128",
        f"--model.init_from={root / 'checkpoints' / 'last.ckpt'}",
        command=("bert", "fit"),
        config=config,
    )
    assert step_losses(phase2)[0] < losses[0] - 0.5


def test_bert_flops_count_every_parameter_but_positions():
    from nordic_pile.pretrain.bert import Bert, BertConfig
    from nordic_pile.pretrain.module import BertModule

    for nsp in (False, True):
        module = BertModule()
        module.model = Bert(BertConfig(n_layer=2, n_head=2, n_embd=16, vocab_size=50, nsp=nsp))
        n = sum(p.numel() for p in module.model.parameters()) - module.model.wpe.weight.numel()
        assert module.flops_per_token(8) == 6 * n + 12 * 2 * 16 * 8


def test_gpt_data_is_refused_for_bert(gpt_data):
    with pytest.raises(ConfigError, match="packed with unit 'document'"):
        MLMDataModule(str(gpt_data)).setup("fit")
