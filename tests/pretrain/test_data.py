"""The training stream: ranks and accumulation steps split each global batch, epochs wrap, the tail is dropped."""

import subprocess

import numpy as np
import pytest
import torch

from nordic_pile.errors import ConfigError
from nordic_pile.packing.indexed import IndexedDatasetWriter
from nordic_pile.packing.manifest import PackManifest, ShardInfo, TokenizerInfo
from nordic_pile.packing.sequences import PackedSequences
from nordic_pile.pretrain.data import PackedDataModule, ResumableLoader, StepBatchSampler, StreamDataset
from nordic_pile.pretrain.slurm import SlurmJob, render
from tests.pretrain.helpers import fit, step_losses


def test_every_global_batch_is_split_over_ranks_and_accumulation_without_overlap():
    for world, micro in [(1, 8), (2, 4), (4, 2), (2, 1)]:
        per_rank = [list(StepBatchSampler(16, micro, rank, world, max_steps=3)) for rank in range(world)]
        accumulation = 16 // (micro * world)
        for step in range(3):
            seen = sorted(
                i for batches in per_rank for b in batches[step * accumulation : (step + 1) * accumulation] for i in b
            )
            assert seen == list(range(step * 16, (step + 1) * 16))


def test_loader_resumes_at_the_consumed_samples():
    sampler = StepBatchSampler(8, 4, 0, 1, max_steps=5)
    loader = ResumableLoader(list(range(100)), sampler, steps_done=lambda: 3)
    state = loader.state_dict()
    assert state == {"consumed_samples": 24, "global_batch_size": 8}
    fresh = ResumableLoader(list(range(100)), StepBatchSampler(8, 4, 0, 1, max_steps=5), steps_done=lambda: 0)
    fresh.load_state_dict(state)
    assert [b.tolist() for b in fresh] == [[24, 25, 26, 27], [28, 29, 30, 31], [32, 33, 34, 35], [36, 37, 38, 39]]
    assert len(fresh) == 10  # Lightning counts the whole run's micro-batches
    with pytest.raises(ConfigError, match="global_batch_size=8 but this run has 16"):
        ResumableLoader([], StepBatchSampler(16, 4, 0, 1, 5), lambda: 0).load_state_dict(state)


def _pack(folder, docs, vocab=50):
    w = IndexedDatasetWriter(str(folder / "s0"), np.uint16)
    for d in docs:
        w.add_document(d + [3])
    w.finalize()
    tok = TokenizerInfo("t", "0" * 64, vocab, 2, 3, 0, 1)
    PackManifest(tok, "uint16", [ShardInfo("s0", len(docs), sum(len(d) + 1 for d in docs))]).save(str(folder))


def test_a_dataset_that_ends_mid_sequence_drops_the_tail_and_wraps_to_the_next_epoch(tmp_path):
    _pack(tmp_path, [[10, 11, 12, 13, 14], [20, 21, 22, 23, 24, 25, 26]])  # 14 tokens with the two EOS
    samples = PackedSequences(str(tmp_path), seq_len=4, split="all", validation_fraction=0.0)
    assert len(samples) == 3  # (14 - 1) // 4: the last sample ends on token 13, the 14th only as its target
    stream = StreamDataset(samples)
    epoch0 = [stream[i].tolist() for i in range(3)]
    epoch1 = [stream[i].tolist() for i in range(3, 6)]
    assert sorted(epoch0) == sorted(epoch1) == [[10, 11, 12, 13, 14], [14, 3, 20, 21, 22], [22, 23, 24, 25, 26]]
    assert epoch0 == [samples[int(i)].tolist() for i in samples.order(0)]  # each epoch in its own seeded order
    assert epoch1 == [samples[int(i)].tolist() for i in samples.order(1)]


def test_training_runs_over_epoch_boundaries_of_a_tiny_dataset(tmp_path):
    _pack(tmp_path / "data", [list(range(4, 49))] * 3)  # 138 tokens: 2 samples of 64, 74 tokens never a sample
    root = fit(
        tmp_path / "data",
        tmp_path / "run",
        "--trainer.max_steps=6",
        "--data.global_batch_size=2",
        "--data.micro_batch_size=1",
        "--data.validation_fraction=0",
    )
    assert sorted(step_losses(root)) == list(range(6))  # 12 samples = 6 epochs of 2


def test_data_config_errors_name_the_field(gpt_data, tmp_path):
    with pytest.raises(ConfigError, match="data.seq_len=0"):
        PackedDataModule(str(gpt_data), seq_len=0)
    with pytest.raises(ConfigError, match="no manifest"):
        PackedDataModule(str(tmp_path))
    data = PackedDataModule(str(gpt_data), global_batch_size=12, micro_batch_size=8)
    with pytest.raises(ConfigError, match="global_batch_size=12 is not a multiple"):
        data.accumulation(1)
    assert PackedDataModule(str(gpt_data), global_batch_size=32, micro_batch_size=4).accumulation(4) == 2


def test_slurm_script_for_nodes_times_gpus(tmp_path):
    script = render(
        SlurmJob(
            4,
            8,
            ["--config", "gpt_1.3b", "--data.path", "/data/packed dir"],
            partition="gpu",
            account="nn1234k",
            setup="source .venv/bin/activate",
        )
    )
    assert "#SBATCH --nodes=4\n" in script and "#SBATCH --ntasks-per-node=8\n" in script
    assert "#SBATCH --gpus-per-node=8\n" in script and "#SBATCH --account=nn1234k\n" in script
    srun = script.strip().splitlines()[-1]
    assert (
        srun.startswith("srun ")
        and "nordic-pile pretrain fit --config gpt_1.3b --data.path '/data/packed dir'" in srun
    )
    assert "--trainer.num_nodes=4 --trainer.devices=8" in srun and "--ckpt_path=last" in srun
    path = tmp_path / "job.sbatch"
    path.write_text(script)
    assert subprocess.run(["bash", "-n", str(path)]).returncode == 0
    with pytest.raises(ConfigError, match="--trainer.devices is set from"):
        SlurmJob(1, 2, ["--trainer.devices=4"])


def test_stream_positions_are_int64_samples(gpt_data):
    samples = PackedSequences(str(gpt_data), 64, "train", 0.05)
    x = StreamDataset(samples)[len(samples) + 1]
    assert x.dtype == torch.int64 and x.shape == (65,)


def test_accumulation_and_validation_interval_follow_the_global_batch(gpt_data):
    from types import SimpleNamespace

    data = PackedDataModule(str(gpt_data), seq_len=64, global_batch_size=32, micro_batch_size=4, val_every_steps=5)
    data.trainer = trainer = SimpleNamespace(
        max_steps=10, world_size=2, accumulate_grad_batches=1, val_check_interval=1.0
    )
    data.setup("fit")
    assert trainer.accumulate_grad_batches == 4  # 32 = 4 per micro-batch x 2 processes x 4
    assert trainer.val_check_interval == 20  # 5 optimizer steps of 4 micro-batches
    trainer.accumulate_grad_batches, trainer.max_steps = 3, 10
    with pytest.raises(ConfigError, match="accumulate_grad_batches is derived from data.global_batch_size"):
        data.setup("fit")
    trainer.accumulate_grad_batches, trainer.max_steps = 1, -1
    with pytest.raises(ConfigError, match="trainer.max_steps is not set"):
        data.setup("fit")
