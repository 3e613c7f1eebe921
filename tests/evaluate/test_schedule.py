import itertools

import pytest
import torch
from transformers import BertConfig, BertModel, LlamaConfig, LlamaModel

from nordic_pile.errors import ConfigError
from nordic_pile.evaluate.finetune import TrainConfig, train
from nordic_pile.evaluate.heads import SequenceClassifier, TokenClassifier
from nordic_pile.evaluate.schedule import lr_multiplier, parameter_depths, parameter_groups


def _bert(layers=3):
    torch.manual_seed(0)
    return BertModel(
        BertConfig(
            vocab_size=50,
            hidden_size=16,
            num_hidden_layers=layers,
            num_attention_heads=2,
            intermediate_size=32,
            max_position_embeddings=32,
        )
    )


def _llama(layers=3):
    torch.manual_seed(0)
    return LlamaModel(
        LlamaConfig(
            vocab_size=50,
            hidden_size=16,
            intermediate_size=32,
            num_hidden_layers=layers,
            num_attention_heads=2,
            num_key_value_heads=2,
            max_position_embeddings=32,
        )
    )


def test_depths_from_the_top_for_bert_and_llama():
    bert = parameter_depths(TokenClassifier(_bert(), 5))
    assert bert["classifier.weight"] == 0 and bert["backbone.pooler.dense.weight"] == 0
    assert bert["backbone.encoder.layer.2.output.dense.weight"] == 1  # top layer
    assert bert["backbone.encoder.layer.0.attention.self.query.weight"] == 3  # bottom layer
    assert bert["backbone.embeddings.word_embeddings.weight"] == 4
    assert bert["backbone.embeddings.LayerNorm.weight"] == 4
    llama = parameter_depths(SequenceClassifier(_llama(), 2))
    assert llama["backbone.norm.weight"] == 0 and llama["classifier.bias"] == 0
    assert llama["backbone.layers.2.mlp.up_proj.weight"] == 1 and llama["backbone.layers.0.mlp.up_proj.weight"] == 3
    assert llama["backbone.embed_tokens.weight"] == 4


def test_discriminative_learning_rates_per_depth():
    model = TokenClassifier(_bert(), 5)
    groups = parameter_groups(model, lr_top=1e-3, layer_decay=2.6, weight_decay=0.01)
    by_depth = {}
    for g in groups:
        by_depth.setdefault(g["depth"], set()).add(g["lr"])
        assert g["weight_decay"] in (0.0, 0.01)
    assert sorted(by_depth) == [0, 1, 2, 3, 4]
    for depth, lrs in by_depth.items():
        assert len(lrs) == 1 and lrs.pop() == pytest.approx(1e-3 / 2.6**depth)
    assert sum(p.numel() for g in groups for p in g["params"]) == sum(p.numel() for p in model.parameters())
    no_decay = {id(p) for g in groups if g["weight_decay"] == 0 for p in g["params"]}
    assert id(model.classifier.bias) in no_decay and id(model.classifier.weight) not in no_decay
    with pytest.raises(ConfigError, match="--layer-decay"):
        parameter_groups(model, 1e-3, 0.5, 0.0)


def test_slanted_triangular_schedule():
    f = lr_multiplier("stlr", total_steps=100, warmup=0.1, ratio=32)
    assert f(0) == pytest.approx(1 / 32) and f(10) == 1.0 and f(100) == pytest.approx(1 / 32)
    values = [f(s) for s in range(101)]
    assert values[:11] == sorted(values[:11]) and values[10:] == sorted(values[10:], reverse=True)
    linear = lr_multiplier("linear", 100, 0.1)
    assert linear(0) == 0.0 and linear(10) == 1.0 and linear(100) == 0.0
    with pytest.raises(ConfigError, match="--schedule"):
        lr_multiplier("cosine", 10, 0.1)


def _toy_training(unfreeze: int, steps: int):
    model = TokenClassifier(_bert(layers=2), 3, dropout=0.0)
    before = {n: p.detach().clone() for n, p in model.named_parameters()}
    torch.manual_seed(1)
    examples = [(torch.randint(5, 50, (6,)).tolist(), torch.randint(0, 3, (6,)).tolist()) for _ in range(8)]

    def make_batch(rows):
        return (
            torch.tensor([r[0] for r in rows]),
            torch.ones(len(rows), 6, dtype=torch.long),
            torch.tensor([r[1] for r in rows]),
        )

    cfg = TrainConfig(
        lr=1e-2,
        batch_size=8,
        epochs=steps,
        unfreeze=unfreeze,
        unfreeze_every=1,
        patience=0,
        schedule="constant",
        weight_decay=0.0,
    )
    rising = itertools.count()  # every evaluation is better, so the last state is the one kept
    train(model, examples, make_batch, lambda m: next(rising), cfg, seed=0)
    return {n: not torch.equal(before[n], p) for n, p in model.named_parameters()}


def test_gradual_unfreezing_starts_with_the_head():
    changed = _toy_training(unfreeze=1, steps=1)  # one step: only depth 0 trains
    assert changed["classifier.weight"]
    assert not changed["backbone.encoder.layer.1.output.dense.weight"]
    assert not changed["backbone.embeddings.word_embeddings.weight"]
    changed = _toy_training(unfreeze=1, steps=2)  # second step: the top layer joins
    assert changed["backbone.encoder.layer.1.output.dense.weight"]
    assert not changed["backbone.encoder.layer.0.output.dense.weight"]
    changed = _toy_training(unfreeze=0, steps=1)  # no unfreezing: everything trains at once
    assert changed["backbone.embeddings.word_embeddings.weight"]
