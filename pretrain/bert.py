"""A BERT encoder for NorBERT-style masked-language modelling (Devlin et al. 2019; Kutuzov et al. 2021): post-LayerNorm
blocks, learned word/position/segment embeddings, the MLM head tied to the word embeddings and an optional
next-sentence head. It matches `transformers`' `BertForPreTraining` weight for weight (`export.py`)."""

from __future__ import annotations

from dataclasses import dataclass

import torch
import torch.nn.functional as F
from torch import nn

from nordic_pile.errors import ConfigError

IGNORE = -100
"""Label of positions without a loss (not masked)."""


@dataclass(frozen=True)
class BertConfig:
    n_layer: int = 12
    n_head: int = 12
    n_embd: int = 768
    """BERT-base: 12 layers, 12 heads, width 768, feed-forward 3072."""
    max_position: int = 512
    vocab_size: int = 0
    """Set from the packed data's tokenizer, plus one when the tokenizer has no mask token."""
    dropout: float = 0.1
    init_std: float = 0.02
    layer_norm_eps: float = 1e-12
    pad_id: int = 0
    """Set from the packed data."""
    nsp: bool = False
    """Pooler and next-sentence head; set from data.nsp."""

    def __post_init__(self):
        if self.n_embd % self.n_head:
            raise ConfigError(f"model.config.n_embd={self.n_embd} is not divisible by n_head={self.n_head}")


class EncoderLayer(nn.Module):
    def __init__(self, cfg: BertConfig):
        super().__init__()
        self.qkv = nn.Linear(cfg.n_embd, 3 * cfg.n_embd)
        self.attn_out = nn.Linear(cfg.n_embd, cfg.n_embd)
        self.ln_attn = nn.LayerNorm(cfg.n_embd, eps=cfg.layer_norm_eps)
        self.ffn_in = nn.Linear(cfg.n_embd, 4 * cfg.n_embd)
        self.ffn_out = nn.Linear(4 * cfg.n_embd, cfg.n_embd)
        self.ln_ffn = nn.LayerNorm(cfg.n_embd, eps=cfg.layer_norm_eps)
        self.drop = nn.Dropout(cfg.dropout)
        self.n_head, self.p = cfg.n_head, cfg.dropout

    def forward(self, x: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        B, T, C = x.shape
        q, k, v = (t.view(B, T, self.n_head, C // self.n_head).transpose(1, 2) for t in self.qkv(x).split(C, 2))
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=mask, dropout_p=self.p if self.training else 0.0)
        y = y.transpose(1, 2).reshape(B, T, C)  # (B, T, C)
        x = self.ln_attn(x + self.drop(self.attn_out(y)))  # post-LN, as BERT
        return self.ln_ffn(x + self.drop(self.ffn_out(F.gelu(self.ffn_in(x)))))


class Bert(nn.Module):
    def __init__(self, cfg: BertConfig):
        super().__init__()
        if cfg.vocab_size < 1:
            raise ConfigError("model.config.vocab_size is not set; it comes from the packed data's tokenizer")
        self.config = cfg
        self.wte = nn.Embedding(cfg.vocab_size, cfg.n_embd)
        self.wpe = nn.Embedding(cfg.max_position, cfg.n_embd)
        self.wtt = nn.Embedding(2, cfg.n_embd)  # segment A / B
        self.ln_emb = nn.LayerNorm(cfg.n_embd, eps=cfg.layer_norm_eps)
        self.drop = nn.Dropout(cfg.dropout)
        self.layers = nn.ModuleList(EncoderLayer(cfg) for _ in range(cfg.n_layer))
        self.mlm_dense = nn.Linear(cfg.n_embd, cfg.n_embd)
        self.mlm_ln = nn.LayerNorm(cfg.n_embd, eps=cfg.layer_norm_eps)
        self.mlm_bias = nn.Parameter(torch.zeros(cfg.vocab_size))  # output weights: wte (tied)
        if cfg.nsp:  # without NSP these would get no gradient (and DDP would stop on them)
            self.pooler = nn.Linear(cfg.n_embd, cfg.n_embd)
            self.nsp = nn.Linear(cfg.n_embd, 2)
        for m in self.modules():
            if isinstance(m, (nn.Linear, nn.Embedding)):
                nn.init.normal_(m.weight, 0.0, cfg.init_std)
            if isinstance(m, nn.Linear):
                nn.init.zeros_(m.bias)

    def encode(self, idx: torch.Tensor, segments: torch.Tensor) -> torch.Tensor:
        """idx, segments: (B, T). Returns hidden states (B, T, C); padding (pad_id) is never attended to."""
        pos = torch.arange(idx.shape[1], device=idx.device)
        x = self.drop(self.ln_emb(self.wte(idx) + self.wpe(pos) + self.wtt(segments)))  # (B, T, C)
        mask = (idx != self.config.pad_id)[:, None, None, :]  # (B, 1, 1, T)
        for layer in self.layers:
            x = layer(x, mask)
        return x

    def mlm_logits(self, h: torch.Tensor) -> torch.Tensor:
        return F.linear(self.mlm_ln(F.gelu(self.mlm_dense(h))), self.wte.weight, self.mlm_bias)  # (..., V)

    def nsp_logits(self, h: torch.Tensor) -> torch.Tensor:
        return self.nsp(torch.tanh(self.pooler(h[:, 0])))  # (B, 2) from the [CLS] position

    def forward(
        self,
        idx: torch.Tensor,
        segments: torch.Tensor,
        labels: torch.Tensor,
        is_random_next: torch.Tensor | None = None,
    ) -> tuple[torch.Tensor, torch.Tensor | None]:
        """idx, segments, labels: (B, T); is_random_next: (B,). Returns the MLM loss and the NSP loss (None
        without NSP), mean cross-entropies in nats. Only masked positions (labels != IGNORE) reach the output
        layer; pairs labelled IGNORE have no NSP loss."""
        h = self.encode(idx, segments)
        picked = labels != IGNORE  # (B, T)
        mlm = F.cross_entropy(self.mlm_logits(h[picked]).float(), labels[picked])
        if not self.config.nsp or is_random_next is None:
            return mlm, None
        total = F.cross_entropy(self.nsp_logits(h).float(), is_random_next, ignore_index=IGNORE, reduction="sum")
        return mlm, total / (is_random_next != IGNORE).sum().clamp(min=1)
