"""FSDP for the larger sizes (Zhao et al. 2023): every transformer block is its own shard unit, optionally
recomputed in the backward pass. A subclass so that YAML configs can choose it with plain arguments."""

from __future__ import annotations

from typing import Literal

from lightning.pytorch.strategies import FSDPStrategy

from nordic_pile.pretrain.bert import EncoderLayer
from nordic_pile.pretrain.model import Block


class BlockFSDPStrategy(FSDPStrategy):
    """Lightning's FSDPStrategy wrapping each GPT block / BERT layer."""

    def __init__(
        self,
        sharding_strategy: Literal["FULL_SHARD", "SHARD_GRAD_OP", "HYBRID_SHARD"] = "FULL_SHARD",
        activation_checkpointing: bool = True,
        cpu_offload: bool = False,
        state_dict_type: Literal["full", "sharded"] = "full",
    ):
        """
        Args:
            sharding_strategy: FULL_SHARD (parameters, gradients and optimizer state sharded: ZeRO-3),
                SHARD_GRAD_OP (ZeRO-2) or HYBRID_SHARD (full sharding within a node, replication across nodes).
            activation_checkpointing: recompute each block in the backward pass (less memory).
            cpu_offload: keep parameters on the CPU between uses (slow; for models that fit no other way).
            state_dict_type: "full" writes one checkpoint file (gathered on rank 0; `pretrain export` reads it),
                "sharded" one file per rank (faster to save; consolidate before export).
        """
        units = {Block, EncoderLayer}
        super().__init__(
            auto_wrap_policy=units,
            activation_checkpointing_policy=units if activation_checkpointing else None,
            sharding_strategy=sharding_strategy,
            cpu_offload=cpu_offload,
            state_dict_type=state_dict_type,
            limit_all_gathers=True,
        )
