import math

import pytest
import torch

from nordic_pile.errors import ConfigError
from nordic_pile.pretrain.flops import flops_per_token, mfu, peak_flops
from nordic_pile.pretrain.lamb import Lamb
from nordic_pile.pretrain.model import GPT, GPTConfig
from nordic_pile.pretrain.schedule import OptimizerConfig, ScheduleConfig, build_optimizer, learning_rate, lr_lambda

GPT_SW3 = ScheduleConfig(max_lr=6e-4, warmup_tokens=0.5e9, decay_tokens=100e9, min_ratio=0.1)


@pytest.mark.parametrize(
    ("tokens", "lr"),
    [
        (0, 0.0),
        (0.25e9, 3e-4),  # half-way through the warm-up
        (0.5e9, 6e-4),  # peak
        (0.5e9 + 50e9, 6e-4 * (0.1 + 0.9 * 0.5)),  # half-way through the cosine: (max + min) / 2
        (0.5e9 + 100e9, 6e-5),  # end of the decay: a tenth of the peak
        (500e9, 6e-5),  # then constant
    ],
)
def test_gpt_sw3_schedule_by_tokens(tokens, lr):
    assert learning_rate(tokens, GPT_SW3) == pytest.approx(lr, rel=1e-9, abs=1e-15)


def test_schedule_values_at_optimizer_steps():
    # 126M as configured: 256 sequences x 2048 tokens = 524,288 tokens per step
    f = lr_lambda(GPT_SW3, 256 * 2048)
    assert f(0) * 6e-4 == pytest.approx(6e-4 * 256 * 2048 / 0.5e9)  # step 0 trains at the rate after its tokens
    assert f(953) < 1  # the warm-up lasts 0.5e9 / 524,288 = 953.7 steps; and f(954) == pytest.approx(1.0, abs=1e-5)
    quarter = math.ceil((0.5e9 + 25e9) / (256 * 2048)) - 1  # ~ a quarter into the cosine
    assert f(quarter) == pytest.approx(0.1 + 0.9 * 0.5 * (1 + math.cos(math.pi * 0.25)), abs=1e-4)
    assert f(10**7) == pytest.approx(0.1)


def test_linear_shape_and_bad_values():
    cfg = ScheduleConfig(max_lr=1.0, warmup_tokens=0, decay_tokens=10, min_ratio=0.0, shape="linear")
    assert [learning_rate(t, cfg) for t in (0, 5, 10, 20)] == [1.0, 0.5, 0.0, 0.0]
    with pytest.raises(ConfigError, match="max_lr"):
        ScheduleConfig(max_lr=0)


def test_weight_decay_spares_biases_and_layernorms_and_counts_tied_weights_once():
    model = GPT(GPTConfig(n_layer=1, n_head=2, n_embd=16, block_size=8, vocab_size=50))
    opt = build_optimizer(model, 1e-3, OptimizerConfig(weight_decay=0.1))
    decay, plain = opt.param_groups
    assert decay["weight_decay"] == 0.1 and plain["weight_decay"] == 0.0
    assert all(p.dim() == 2 for p in decay["params"]) and all(p.dim() == 1 for p in plain["params"])
    assert sum(p.numel() for g in opt.param_groups for p in g["params"]) == model.num_params(exclude_positions=False)


def test_mfu_formula_and_peak_table():
    # 126M (12 x 768, vocab 64,000) at 2,048 tokens: 6N + 12 L d T
    n = 12 * (12 * 768 * 768 + 13 * 768) + 2 * 768 + 64000 * 768
    assert flops_per_token(n, 12, 768, 2048) == 6 * n + 12 * 12 * 768 * 2048
    assert peak_flops("NVIDIA H100 80GB HBM3") == 989.4e12
    assert peak_flops("NVIDIA H100 PCIe") == 756e12
    assert peak_flops("NVIDIA H200") == 989.4e12
    assert peak_flops("NVIDIA A100-SXM4-80GB") == 312e12
    assert peak_flops("cpu") is None
    assert mfu(1e5, 1e9, 1e15, 1) == pytest.approx(0.1)


def test_lamb_scales_each_update_by_the_trust_ratio():
    w = torch.nn.Parameter(torch.full((4,), 2.0))
    opt = Lamb([w], lr=0.1, betas=(0.9, 0.999), eps=1e-6)
    w.grad = torch.tensor([1.0, -1.0, 1.0, -1.0]) * 1e-3
    opt.step()
    # Adam's first update is sign(g); trust ratio ||w|| / ||update|| = 4 / 2 = 2 -> each weight moves 0.1 * 2
    assert torch.allclose(w.detach(), torch.tensor([1.8, 2.2, 1.8, 2.2]), atol=1e-4)
