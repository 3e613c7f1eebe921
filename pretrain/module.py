"""The LightningModules: GPT-SW3-style causal language modelling (pretraining and instruction tuning) and
NorBERT-style masked-language modelling, on one shared base (optimizer, token schedule, seeding, logging)."""

from __future__ import annotations

from dataclasses import asdict, replace

import lightning as L
import torch

from nordic_pile.errors import ConfigError
from nordic_pile.pretrain.bert import Bert, BertConfig
from nordic_pile.pretrain.data import first_position
from nordic_pile.pretrain.export import CHECKPOINT_KEY
from nordic_pile.pretrain.flops import flops_per_token
from nordic_pile.pretrain.model import GPT, GPTConfig
from nordic_pile.pretrain.schedule import OptimizerConfig, ScheduleConfig, build_optimizer, lr_lambda


def logging_step(trainer: L.Trainer) -> bool:
    """Whether the loggers write this step's metrics (trainer.log_every_n_steps)."""
    return trainer._logger_connector.should_update_logs  # the test Lightning itself uses


def batch_seed(seed: int, first_position: int) -> int:
    """The RNG seed of a micro-batch, from the stream position of its first sample (data.py): dropout depends on
    the samples alone, so a resumed run draws what the uninterrupted one drew, and 2 GPUs what 1 GPU with
    accumulation drew."""
    return (seed * 1_000_000_007 + first_position) % (2**63)


class PretrainModule(L.LightningModule):
    """What GPT and BERT training share: the optimizer, the token-based schedule, reseeding, logging, init_from."""

    arch = ""

    def __init__(self, optimizer: OptimizerConfig, schedule: ScheduleConfig, init_from: str | None, compile: bool):
        super().__init__()
        self.optimizer_config, self.schedule = optimizer, schedule
        self.init_from, self.compile_model = init_from, compile
        self.model = None
        self._window: list[torch.Tensor] = []  # micro-batch losses of the current optimizer step

    def build_model(self, data) -> torch.nn.Module:
        """The model for this data (its vocabulary and special ids); subclasses define it."""
        raise NotImplementedError

    def configure_model(self) -> None:
        """Built here, not in __init__: the vocabulary comes from the data, and FSDP wraps what this creates."""
        if self.model is not None:
            return
        self.model = self.build_model(self.trainer.datamodule)
        if self.init_from:
            self.load_initial_weights()
        if self.compile_model:
            self.model.compile()

    def configure_optimizers(self):
        optimizer = build_optimizer(self.model, self.schedule.max_lr, self.optimizer_config)
        data = self.trainer.datamodule
        scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, lr_lambda(self.schedule, data.tokens_per_step))
        return {"optimizer": optimizer, "lr_scheduler": {"scheduler": scheduler, "interval": "step"}}

    def on_train_batch_start(self, batch, batch_idx: int) -> None:
        t, data = self.trainer, self.trainer.datamodule
        k = batch_idx % t.accumulate_grad_batches
        first = first_position(
            self.global_step, k, t.global_rank, t.world_size, data.global_batch_size, data.micro_batch_size
        )
        seed = batch_seed(data.seed, first)
        torch.default_generator.manual_seed(seed)  # torch.manual_seed would also queue CUDA seeding on a CPU host
        if self.device.type == "cuda":
            torch.cuda.manual_seed(seed)

    def log_train_loss(self, loss: torch.Tensor, batch_idx: int) -> None:
        """Log the mean loss of an optimizer step (over its micro-batches and ranks) once per step, and the rate
        and token count on the steps the loggers write (each `self.log` costs Lightning bookkeeping)."""
        self._window.append(loss.detach())
        if (batch_idx + 1) % self.trainer.accumulate_grad_batches:
            return
        mean = torch.stack(self._window).mean()
        self._window = []
        self.log("train/loss", mean, on_step=True, prog_bar=True, sync_dist=self.trainer.world_size > 1)
        if logging_step(self.trainer):
            tokens = (self.global_step + 1) * self.trainer.datamodule.tokens_per_step
            self.log_dict(
                {"train/lr": self.lr_schedulers().get_last_lr()[0], "train/tokens": float(tokens)}, on_step=True
            )

    def on_save_checkpoint(self, checkpoint: dict) -> None:
        data = self.trainer.datamodule
        checkpoint[CHECKPOINT_KEY] = {
            "arch": self.arch,
            "config": asdict(self.model.config),
            "data": {"path": data.path, "seed": data.seed, "manifest": data.manifest_dict()},
        }

    def on_load_checkpoint(self, checkpoint: dict) -> None:
        """Resuming on data of another vocabulary would fail deep inside load_state_dict; say it in one line."""
        meta = checkpoint.get(CHECKPOINT_KEY)
        if meta:
            self.check_vocab(
                meta["config"]["vocab_size"], f"the checkpoint to resume (trained on {meta['data']['path']})"
            )

    def check_vocab(self, vocab_size: int, what: str) -> None:
        """A checkpoint's vocabulary against the packed data's tokenizer (plus an appended mask id for BERT)."""
        data = self.trainer.datamodule
        data.manifest.check_vocab_size(vocab_size - (data.vocab_size - data.manifest.tokenizer.vocab_size), what)

    def load_initial_weights(self) -> None:
        """Fine-tuning: weights (only) from a checkpoint of ours, whose vocabulary must be the data's."""
        from nordic_pile.pretrain.export import load_checkpoint

        state, meta = load_checkpoint(self.init_from)
        if meta["arch"] != self.arch:
            raise ConfigError(f"model.init_from={self.init_from} is a {meta['arch']} checkpoint; this is {self.arch}")
        self.check_vocab(meta["config"]["vocab_size"], f"model.init_from={self.init_from}")
        try:
            missing, unexpected = self.model.load_state_dict(state, strict=False)
        except RuntimeError as e:  # shapes differ
            raise ConfigError(
                f"model.init_from={self.init_from} does not fit model.config ({str(e)[:200]}); use "
                "the architecture it was trained with"
            ) from None
        if missing or unexpected:
            raise ConfigError(
                f"model.init_from={self.init_from} does not fit model.config: missing {missing[:3]}, "
                f"unexpected {unexpected[:3]}; use the config it was trained with"
            )


class GPTModule(PretrainModule):
    """GPT-SW3-style decoder trained on packed sequences (next-token cross-entropy on every position)."""

    arch = "gpt"

    def __init__(
        self,
        config: GPTConfig = GPTConfig(),
        optimizer: OptimizerConfig = OptimizerConfig(),
        schedule: ScheduleConfig = ScheduleConfig(),
        init_from: str | None = None,
        compile: bool = False,
    ):
        """
        Args:
            config: the architecture; vocab_size and eos_id come from the packed data.
            optimizer: AdamW (fused where available) or LAMB; weight decay on matrices only.
            schedule: GPT-SW3's schedule in tokens; max_lr defaults per size are in pretrain/configs/.
            init_from: fine-tune from this checkpoint of ours (weights only; optimizer and schedule start fresh).
            compile: torch.compile the model (on GPU: fuses kernels; the first steps are slow while it compiles).
        """
        super().__init__(optimizer, schedule, init_from, compile)
        self.config = config
        self.save_hyperparameters()

    def build_model(self, data) -> GPT:
        cfg = replace(self.config, vocab_size=data.vocab_size, eos_id=data.eos_id)
        if data.seq_len > cfg.block_size:
            raise ConfigError(f"data.seq_len={data.seq_len} exceeds model.config.block_size={cfg.block_size}")
        return GPT(cfg)

    def training_step(self, batch: torch.Tensor, batch_idx: int) -> torch.Tensor:
        _, loss = self.model(batch[:, :-1], batch[:, 1:])  # (B, T+1) windows: inputs and next-token targets
        self.log_train_loss(loss, batch_idx)
        return loss

    def validation_step(self, batch: torch.Tensor, batch_idx: int) -> None:
        _, loss = self.model(batch[:, :-1], batch[:, 1:])
        self.log("val/loss", loss, on_epoch=True, prog_bar=True, sync_dist=True, batch_size=batch.shape[0])

    def flops_per_token(self, seq_len: int) -> float:
        cfg = self.model.config
        return flops_per_token(self.model.num_params(), cfg.n_layer, cfg.n_embd, seq_len)


class BertModule(PretrainModule):
    """NorBERT-style encoder: masked-language modelling plus optional next-sentence prediction."""

    arch = "bert"

    def __init__(
        self,
        config: BertConfig = BertConfig(),
        optimizer: OptimizerConfig = OptimizerConfig(),
        schedule: ScheduleConfig = ScheduleConfig(),
        init_from: str | None = None,
        compile: bool = False,
    ):
        """
        Args:
            config: the architecture (BERT-base by default); vocab_size and pad_id come from the packed data.
            optimizer: AdamW or LAMB (NorBERT: LAMB).
            schedule: warm-up and decay in tokens (instances x data.seq_len, padding included).
            init_from: start from this checkpoint's weights (phase 2 at 512 from phase 1 at 128).
            compile: torch.compile the model.
        """
        super().__init__(optimizer, schedule, init_from, compile)
        self.config = config
        self.save_hyperparameters()

    def build_model(self, data) -> Bert:
        cfg = replace(self.config, vocab_size=data.vocab_size, pad_id=data.manifest.tokenizer.pad_id, nsp=data.nsp)
        if data.seq_len > cfg.max_position:
            raise ConfigError(f"data.seq_len={data.seq_len} exceeds model.config.max_position={cfg.max_position}")
        return Bert(cfg)

    def _losses(self, batch: dict) -> tuple[torch.Tensor, torch.Tensor | None]:
        return self.model(batch["idx"], batch["segments"], batch["labels"], batch["is_random_next"])

    def training_step(self, batch: dict, batch_idx: int) -> torch.Tensor:
        mlm, nsp = self._losses(batch)
        loss = mlm if nsp is None else mlm + nsp
        self.log_train_loss(loss, batch_idx)
        return loss

    def validation_step(self, batch: dict, batch_idx: int) -> None:
        mlm, nsp = self._losses(batch)
        n = batch["idx"].shape[0]
        self.log("val/mlm_loss", mlm, on_epoch=True, prog_bar=True, sync_dist=True, batch_size=n)
        if nsp is not None:
            self.log("val/nsp_loss", nsp, on_epoch=True, sync_dist=True, batch_size=n)

    def flops_per_token(self, seq_len: int) -> float:
        """6N + 12 L d T with N from the config (FSDP shards hide the real sizes); the MLM head runs on the masked
        positions only, so this overstates BERT's FLOPs by about 6 x (V + d) x d per unmasked token."""
        cfg = self.model.config
        d = cfg.n_embd
        n = cfg.n_layer * (12 * d * d + 13 * d) + 2 * d + 2 * d  # layers, embedding LayerNorm, segments
        n += cfg.vocab_size * (d + 1) + d * d + 3 * d  # tied word embedding + output bias, MLM transform
        n += (d * d + d + 2 * d + 2) if cfg.nsp else 0  # pooler, NSP head
        return flops_per_token(n, cfg.n_layer, d, seq_len)
