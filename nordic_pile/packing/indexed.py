"""Megatron-LM's memory-mapped indexed dataset (`.bin` token stream + `.idx` index), read and written with numpy.

`.idx` layout (Megatron `MMapIndexedDataset`, version 1), all little-endian:
    magic b"MMIDIDX\\x00\\x00" | u64 version = 1 | u8 dtype code | u64 sequence count | u64 document count
    int32[sequence count]  sequence lengths (tokens)
    int64[sequence count]  byte offsets of the sequences in `.bin`
    int64[document count]  document indices: the sequence index where each document starts, then the total
A sequence is one document (GPT packing) or one sentence (BERT data, where a document is several sequences).
"""

from __future__ import annotations

import os
import struct
from collections.abc import Iterable

import numpy as np

MAGIC = b"MMIDIDX\x00\x00"
VERSION = 1
DTYPE_CODES = {
    1: np.uint8,
    2: np.int8,
    3: np.int16,
    4: np.int32,
    5: np.int64,
    6: np.float64,
    7: np.float32,
    8: np.uint16,
}
CODE_OF = {np.dtype(v): k for k, v in DTYPE_CODES.items()}


def token_dtype(vocab_size: int) -> np.dtype:
    """uint16 when every id fits (vocabulary <= 65,536), else int32 (Megatron has no uint32 code)."""
    return np.dtype(np.uint16) if vocab_size <= 65536 else np.dtype(np.int32)


class IndexedDatasetWriter:
    """Append sequences to `prefix.bin`; `finalize()` writes `prefix.idx`. Files appear under their final names
    only when finalized (written as `.partial` first), so a killed task leaves nothing that looks complete."""

    def __init__(self, prefix: str, dtype: np.dtype | type):
        self.prefix, self.dtype = prefix, np.dtype(dtype)
        if self.dtype not in CODE_OF:
            raise ValueError(f"dtype {self.dtype} has no Megatron code; use one of {sorted(map(str, CODE_OF))}")
        os.makedirs(os.path.dirname(os.path.abspath(prefix)), exist_ok=True)
        self._bin = open(prefix + ".bin.partial", "wb")
        self.lengths: list[int] = []
        self.doc_index: list[int] = [0]

    def add_sequence(self, tokens: Iterable[int] | np.ndarray) -> None:
        array = np.asarray(tokens, dtype=self.dtype)
        self._bin.write(array.tobytes(order="C"))
        self.lengths.append(len(array))

    def end_document(self) -> None:
        self.doc_index.append(len(self.lengths))

    def add_document(self, tokens: Iterable[int] | np.ndarray) -> None:
        """One document as one sequence (GPT-style packing)."""
        self.add_sequence(tokens)
        self.end_document()

    def finalize(self) -> None:
        if self.doc_index[-1] != len(self.lengths):
            self.end_document()
        self._bin.close()
        lengths = np.asarray(self.lengths, dtype=np.int32)
        offsets = np.zeros(len(lengths), dtype=np.int64)
        if len(lengths) > 1:
            np.cumsum(lengths[:-1].astype(np.int64) * self.dtype.itemsize, out=offsets[1:])
        with open(self.prefix + ".idx.partial", "wb") as f:
            f.write(MAGIC)
            f.write(struct.pack("<Q", VERSION))
            f.write(struct.pack("<B", CODE_OF[self.dtype]))
            f.write(struct.pack("<Q", len(lengths)))
            f.write(struct.pack("<Q", len(self.doc_index)))
            f.write(lengths.tobytes(order="C"))
            f.write(offsets.tobytes(order="C"))
            f.write(np.asarray(self.doc_index, dtype=np.int64).tobytes(order="C"))
        os.replace(self.prefix + ".bin.partial", self.prefix + ".bin")
        os.replace(self.prefix + ".idx.partial", self.prefix + ".idx")


class IndexedDataset:
    """Read a Megatron indexed dataset by memory map: `ds[i]` is sequence i as a numpy view (no copy)."""

    def __init__(self, prefix: str):
        self.prefix = prefix
        with open(prefix + ".idx", "rb") as f:
            magic = f.read(9)
            if magic != MAGIC:
                raise ValueError(f"{prefix}.idx is not a Megatron indexed dataset (magic {magic!r})")
            (version,) = struct.unpack("<Q", f.read(8))
            if version != VERSION:
                raise ValueError(f"{prefix}.idx has version {version}; only version {VERSION} is supported")
            (code,) = struct.unpack("<B", f.read(1))
            (n_seq,) = struct.unpack("<Q", f.read(8))
            (n_doc,) = struct.unpack("<Q", f.read(8))
            header = f.tell()
        self.dtype = np.dtype(DTYPE_CODES[code])
        index = np.memmap(prefix + ".idx", mode="r", order="C")
        self.sizes = np.frombuffer(index, dtype=np.int32, count=n_seq, offset=header)
        self.pointers = np.frombuffer(index, dtype=np.int64, count=n_seq, offset=header + self.sizes.nbytes)
        self.document_indices = np.frombuffer(
            index, dtype=np.int64, count=n_doc, offset=header + self.sizes.nbytes + self.pointers.nbytes
        )
        self._index = index
        size = os.path.getsize(prefix + ".bin")
        self.tokens = (
            np.memmap(prefix + ".bin", mode="r", dtype=self.dtype, order="C")
            if size
            else np.zeros(0, dtype=self.dtype)
        )
        expected = int(self.sizes.astype(np.int64).sum()) * self.dtype.itemsize
        if expected != size:
            raise ValueError(
                f"{prefix}.bin has {size} bytes but its index describes {expected}: the pair is "
                "incomplete or mismatched; pack it again"
            )

    def __len__(self) -> int:
        return len(self.sizes)

    def __getitem__(self, i: int) -> np.ndarray:
        start = self.pointers[i] // self.dtype.itemsize
        return self.tokens[start : start + self.sizes[i]]

    @property
    def num_documents(self) -> int:
        return len(self.document_indices) - 1

    @property
    def num_tokens(self) -> int:
        return int(self.sizes.astype(np.int64).sum())

    def document(self, d: int) -> list[np.ndarray]:
        """The sequences of document d (one for GPT packing, its sentences for BERT data)."""
        return [self[i] for i in range(self.document_indices[d], self.document_indices[d + 1])]
