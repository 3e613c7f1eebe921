"""Model FLOPs utilisation (Chowdhery et al. 2022, PaLM, App. B): the FLOPs a step needs by formula, over the
hardware's peak. Recomputation (activation checkpointing) is not counted: it is overhead, not model FLOPs.

    FLOPs per token = 6 N + 12 L d T
N: parameters that take part in matmuls (all weights, the tied embedding once for the output layer, position
embeddings excluded); L layers, d model width, T sequence length. 6N is the forward (2N) and backward (4N) of the
dense layers; 12 L d T the attention scores and their weighted sum, counted for the full T x T square as PaLM does
(a causal kernel skips about half of it, so MFU by this formula can reach past what the kernel does).
"""

from __future__ import annotations

# dense bf16/fp16 tensor-core peaks in FLOP/s (no sparsity), from NVIDIA's data sheets; matched against
# torch.cuda.get_device_name(), most specific first
PEAK_BF16_FLOPS: list[tuple[str, float]] = [
    ("H200", 989.4e12),  # H200 SXM (NVL: 835.5e12)
    ("GH200", 989.4e12),
    ("H100 NVL", 835.5e12),
    ("H100 PCIe", 756.0e12),
    ("H100", 989.4e12),  # H100 SXM5 ("NVIDIA H100 80GB HBM3")
    ("A100", 312.0e12),  # SXM and PCIe, 40 and 80 GB
    ("L40S", 362.1e12),
    ("A10G", 70.0e12),
]


def flops_per_token(n_params: int, n_layer: int, n_embd: int, seq_len: int) -> float:
    """Training FLOPs per token: 6N + 12 L d T (see the module docstring)."""
    return 6.0 * n_params + 12.0 * n_layer * n_embd * seq_len


def peak_flops(device_name: str) -> float | None:
    """Peak dense bf16 FLOP/s of a GPU by name, or None when the table does not know it (CPUs included)."""
    for key, flops in PEAK_BF16_FLOPS:
        if key.lower() in device_name.lower():
            return flops
    return None


def mfu(tokens_per_second: float, flops_token: float, peak: float, n_devices: int = 1) -> float:
    """Fraction of the peak the model's formula FLOPs reach (0..1), across n_devices."""
    return tokens_per_second * flops_token / (peak * n_devices)
