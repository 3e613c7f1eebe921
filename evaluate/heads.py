"""Task heads on any `transformers` backbone (`AutoModel`): an encoder (BERT kind) or a decoder (Llama kind)."""

from __future__ import annotations

import torch
from torch import nn

POOLINGS = ("auto", "cls", "pooled", "last", "mean")


def is_decoder(config) -> bool:
    """A causal LM (the export says `...ForCausalLM`, or the config says so): it sees only the left context."""
    archs = getattr(config, "architectures", None) or []
    return any("CausalLM" in a for a in archs) or bool(getattr(config, "is_decoder", False))


def hidden_size(config) -> int:
    for attr in ("hidden_size", "d_model", "n_embd", "dim"):
        value = getattr(config, attr, None)
        if isinstance(value, int):
            return value
    raise ValueError(f"cannot find the hidden size in the {type(config).__name__}")


class TokenClassifier(nn.Module):
    """Backbone + dropout + linear over every sub-word's last hidden state."""

    def __init__(self, backbone: nn.Module, num_labels: int, dropout: float = 0.1):
        super().__init__()
        self.backbone = backbone
        self.dropout = nn.Dropout(dropout)
        self.classifier = nn.Linear(hidden_size(backbone.config), num_labels)

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
        hidden = self.backbone(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state  # (B, T, H)
        return self.classifier(self.dropout(hidden))  # (B, T, labels)


class SequenceClassifier(nn.Module):
    """Backbone + dropout + linear over one vector per sequence: [CLS] (`cls`), the backbone's pooler (`pooled`),
    the last non-padding token (`last`, for decoders) or the mean over tokens (`mean`)."""

    def __init__(self, backbone: nn.Module, num_labels: int, pooling: str = "auto", dropout: float = 0.1):
        super().__init__()
        if pooling == "auto":
            pooling = "last" if is_decoder(backbone.config) else "cls"
        self.backbone, self.pooling = backbone, pooling
        self.dropout = nn.Dropout(dropout)
        self.classifier = nn.Linear(hidden_size(backbone.config), num_labels)

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
        out = self.backbone(input_ids=input_ids, attention_mask=attention_mask)
        hidden = out.last_hidden_state  # (B, T, H)
        if self.pooling == "pooled":
            vector = out.pooler_output  # (B, H)
        elif self.pooling == "last":
            last = attention_mask.sum(dim=1) - 1  # right padding: the last real token
            vector = hidden[torch.arange(hidden.size(0), device=hidden.device), last]
        elif self.pooling == "mean":
            weights = attention_mask.unsqueeze(-1).to(hidden.dtype)
            vector = (hidden * weights).sum(dim=1) / weights.sum(dim=1).clamp(min=1)
        else:
            vector = hidden[:, 0]
        return self.classifier(self.dropout(vector))  # (B, labels)
