"""The command line: real --help, bundled configs with GPT-SW3's sizes, one-line errors."""

import pytest
import torch

from nordic_pile.cli import main as nordic_pile_main
from nordic_pile.pretrain.cli import bundled_configs, main_argv, resolve_config_names
from nordic_pile.pretrain.model import GPT, GPTConfig


def test_usage_lists_the_commands(capsys):
    assert nordic_pile_main(["pretrain"]) == 2
    out = capsys.readouterr().out
    for command in ("fit", "validate", "bert", "export", "slurm", "chat-data", "configs"):
        assert f"\n  {command}" in out


def test_fit_help_shows_every_option(capsys):
    with pytest.raises(SystemExit) as stop:
        main_argv(["fit", "--help"])
    assert stop.value.code == 0
    out = capsys.readouterr().out
    for option in (
        "--data.path",
        "--data.global_batch_size",
        "--model.config.n_layer",
        "--model.schedule.max_lr",
        "--model.schedule.warmup_tokens",
        "--model.init_from",
        "--model.compile",
        "--model.config.activation_checkpointing",
        "--checkpoint.every_n_train_steps",
        "--ckpt_path",
        "--trainer.precision",
    ):
        assert option in out, option


@pytest.mark.parametrize(
    ("name", "layers", "width", "heads", "params", "lr"),
    [
        ("gpt_126m", 12, 768, 12, 126e6, 6e-4),
        ("gpt_356m", 24, 1024, 16, 356e6, 3e-4),
        ("gpt_1.3b", 24, 2048, 32, 1.3e9, 2e-4),
        ("gpt_6.7b", 32, 4096, 32, 6.7e9, 1.2e-4),
    ],
)
def test_gpt_sw3_size_configs(name, layers, width, heads, params, lr):
    import yaml

    with open(bundled_configs()[name], encoding="utf-8") as f:
        config = yaml.safe_load(f)
    model = config["model"]["config"]
    assert (model["n_layer"], model["n_embd"], model["n_head"], model["block_size"]) == (layers, width, heads, 2048)
    assert config["model"]["schedule"]["max_lr"] == lr and config["data"]["seq_len"] == 2048
    with torch.device("meta"):  # GPT-SW3's 64k vocabulary; nothing allocated
        n = GPT(GPTConfig(**model, vocab_size=64000)).num_params()
    assert n == pytest.approx(params, rel=0.07)  # the names are GPT-3's counts with its 50k vocabulary
    steps = config["trainer"]["max_steps"] * config["data"]["global_batch_size"] * 2048
    assert steps == pytest.approx(320e9, rel=1e-4)  # GPT-SW3 trained every size on 320B tokens


def test_config_names_resolve_to_the_bundled_files(tmp_path):
    assert resolve_config_names(["fit", "--config", "gpt_126m"])[2].endswith("configs/gpt_126m.yaml")
    assert resolve_config_names(["fit", "--config=bert_tiny.yaml"])[1].endswith("configs/bert_tiny.yaml")
    own = tmp_path / "gpt_tiny"
    own.write_text("{}")
    assert resolve_config_names(["fit", "-c", str(own)])[2] == str(own)  # an existing file wins


def test_configs_command_lists_them(capsys):
    assert main_argv(["configs"]) == 0
    out = capsys.readouterr().out
    assert "gpt_1.3b" in out and "bert_base_512" in out


def test_summary_of_a_run_and_the_falling_loss_check(gpt_data, tmp_path, capsys):
    from tests.pretrain.helpers import fit

    root = fit(
        gpt_data,
        tmp_path / "run",
        "--trainer.max_steps=40",
        "--trainer.val_check_interval=20",
        "--trainer.limit_val_batches=2",
    )
    assert main_argv(["summary", str(root), "--require-falling", "0.3"]) == 0
    out = capsys.readouterr().out
    assert "steps 40, tokens 20,480" in out and "validation loss: step 19:" in out and "tokens/s" in out
    assert main_argv(["summary", str(root), "--require-falling", "50"]) == 1


def test_the_6_7b_config_selects_block_fsdp(gpt_data, capsys):
    from nordic_pile.pretrain.bert import EncoderLayer
    from nordic_pile.pretrain.fsdp import BlockFSDPStrategy
    from nordic_pile.pretrain.model import Block

    with pytest.raises(SystemExit) as stop:
        main_argv(["fit", "--config", "gpt_6.7b", "--data.path", str(gpt_data), "--print_config"])
    assert stop.value.code == 0
    out = capsys.readouterr().out
    assert "class_path: nordic_pile.pretrain.fsdp.BlockFSDPStrategy" in out and "sharding_strategy: FULL_SHARD" in out
    # torch's FSDP refuses CPU-only hosts, so the wrapping itself runs only on GPUs; its policy is checked here
    strategy = BlockFSDPStrategy()
    assert strategy.kwargs["auto_wrap_policy"]._module_classes == {Block, EncoderLayer}
    assert strategy._activation_checkpointing_kwargs["auto_wrap_policy"]._module_classes == {Block, EncoderLayer}
    assert strategy.kwargs["use_orig_params"]  # the optimizer groups are built from the original parameters
    assert not BlockFSDPStrategy(activation_checkpointing=False)._activation_checkpointing_kwargs
