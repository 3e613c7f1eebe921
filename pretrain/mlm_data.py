"""Masked-language-model data for NorBERT-style training from sentence-packed shards (one sequence per sentence,
documents as groups of sentences): BERT's instance creation (Devlin et al. 2019, `create_pretraining_data.py`) with
RoBERTa's dynamic masking (Liu et al. 2019): 15% of the tokens, of which 80% become the mask token, 10% a random
token and 10% stay, drawn afresh every epoch from a seed and the stream position (so resumption is exact).

Next-sentence prediction is optional and never pairs sentences of different documents: a positive pair is a
segment and the segment that follows it in its document, a negative pair the same two segments in swapped order
(the within-document negative of ALBERT's sentence-order prediction). Chunks of one sentence have no pair and no
NSP loss.
"""

from __future__ import annotations

import os

import numpy as np
import torch

from nordic_pile.errors import ConfigError
from nordic_pile.packing.indexed import IndexedDataset
from nordic_pile.packing.manifest import PackManifest
from nordic_pile.packing.sequences import _held_out
from nordic_pile.pretrain.bert import IGNORE
from nordic_pile.pretrain.data import PackedDataModule, StreamDataset


def _rng(*key: int) -> np.random.Generator:
    return np.random.Generator(np.random.PCG64(list(key)))


class SentencePairs:
    """BERT instances of one split: chunks of consecutive sentences of a document (up to `seq_len` tokens with
    [CLS] and [SEP]s), each split into segments A and B when `nsp` is on. Built once, deterministically."""

    def __init__(
        self,
        path: str,
        seq_len: int,
        split: str,
        validation_fraction: float,
        seed: int,
        nsp: bool,
        short_seq_prob: float = 0.1,
    ):
        self.manifest = PackManifest.load(path)
        folder = path if os.path.isdir(path) else os.path.dirname(path)
        self.shards = [IndexedDataset(os.path.join(folder, s.prefix)) for s in self.manifest.shards]
        self.seq_len, self.nsp, self.seed, self.split = seq_len, nsp, seed, split
        self.budget = seq_len - (3 if nsp else 2)  # tokens left after [CLS] A [SEP] (B [SEP])
        if self.budget < 2:
            raise ConfigError(f"data.seq_len={seq_len} is too short for BERT instances")
        rows = []  # (shard, first sentence, first sentence of B, end sentence, swapped)
        for k, ds in enumerate(self.shards):
            held = _held_out(k, ds.num_documents, validation_fraction, seed)
            wanted = held if split == "validation" else ~held
            for d in np.flatnonzero(wanted):
                rows += self._instances(k, int(d), ds, short_seq_prob)
        self.rows = np.asarray(rows, dtype=np.int64).reshape(-1, 5)

    def _instances(self, k: int, d: int, ds: IndexedDataset, short_seq_prob: float) -> list[tuple]:
        rng = _rng(self.seed, k, d)
        first, end = int(ds.document_indices[d]), int(ds.document_indices[d + 1])
        lengths = ds.sizes[first:end]
        out, start, length = [], first, 0
        target = self.budget if rng.random() >= short_seq_prob else int(rng.integers(2, self.budget + 1))
        for i in range(first, end):
            length += int(lengths[i - first])
            if i == end - 1 or length >= target:
                n = i + 1 - start
                split = (start + int(rng.integers(1, n)) if n > 1 else i + 1) if self.nsp else i + 1
                swapped = int(self.nsp and n > 1 and rng.random() < 0.5)
                out.append((k, start, split, i + 1, swapped))
                start, length = i + 1, 0
                target = self.budget if rng.random() >= short_seq_prob else int(rng.integers(2, self.budget + 1))
        return out

    def __len__(self) -> int:
        return len(self.rows)

    def order(self, epoch: int) -> np.ndarray:
        if self.split != "train":
            return np.arange(len(self.rows))
        return _rng(self.seed, epoch, 1).permutation(len(self.rows))

    def __getitem__(self, i: int) -> tuple[np.ndarray, np.ndarray, int]:
        """Token ids of segments A and B of instance i (truncated to fit) and the NSP label (1 = swapped,
        IGNORE = no pair)."""
        k, first, split, end, swapped = (int(x) for x in self.rows[i])
        ds = self.shards[k]
        a = np.concatenate([ds[j] for j in range(first, split)]).astype(np.int64)
        b = np.concatenate([ds[j] for j in range(split, end)]).astype(np.int64) if split < end else np.zeros(0, int)
        rng = _rng(self.seed, i, 2)
        while len(a) + len(b) > self.budget:  # BERT's truncate_seq_pair: trim the longer, at a random end
            longer = a if len(a) >= len(b) else b
            trimmed = longer[1:] if rng.random() < 0.5 else longer[:-1]
            a, b = (trimmed, b) if longer is a else (a, trimmed)
        label = (1 if swapped else 0) if self.nsp and len(b) else IGNORE
        return (b, a, label) if swapped else (a, b, label)


class Masker:
    """Turn a pair of segments into model inputs with dynamic 80/10/10 masking."""

    def __init__(
        self,
        cls_id: int,
        sep_id: int,
        pad_id: int,
        mask_id: int,
        vocab_size: int,
        seq_len: int,
        seed: int,
        probability: float = 0.15,
    ):
        self.cls_id, self.sep_id, self.pad_id, self.mask_id = cls_id, sep_id, pad_id, mask_id
        self.seq_len, self.seed, self.probability = seq_len, seed, probability
        self.random_ids = np.setdiff1d(np.arange(vocab_size), [cls_id, sep_id, pad_id, mask_id])

    def __call__(self, pair: tuple[np.ndarray, np.ndarray, int], position: int) -> dict[str, torch.Tensor]:
        a, b, nsp_label = pair
        ids = [self.cls_id, *a.tolist(), self.sep_id] + ([*b.tolist(), self.sep_id] if len(b) else [])
        segments = [0] * (len(a) + 2) + [1] * (len(ids) - len(a) - 2)
        ids, segments = np.asarray(ids, dtype=np.int64), np.asarray(segments, dtype=np.int64)
        rng = _rng(self.seed, position, 3)
        maskable = np.flatnonzero((ids != self.cls_id) & (ids != self.sep_id))
        n = max(1, int(round(len(maskable) * self.probability))) if len(maskable) else 0
        chosen = rng.choice(maskable, size=n, replace=False) if n else maskable
        labels = np.full(len(ids), IGNORE, dtype=np.int64)
        labels[chosen] = ids[chosen]
        fate = rng.random(n)
        ids[chosen[fate < 0.8]] = self.mask_id
        random_positions = chosen[(fate >= 0.8) & (fate < 0.9)]
        ids[random_positions] = rng.choice(self.random_ids, size=len(random_positions))
        pad = self.seq_len - len(ids)
        return {
            "idx": torch.from_numpy(np.pad(ids, (0, pad), constant_values=self.pad_id)),
            "segments": torch.from_numpy(np.pad(segments, (0, pad))),
            "labels": torch.from_numpy(np.pad(labels, (0, pad), constant_values=IGNORE)),
            "is_random_next": torch.tensor(nsp_label),
        }


class _Masked:
    """Validation: the same masking every time (seeded by the sample number)."""

    def __init__(self, pairs: SentencePairs, masker: Masker):
        self.pairs, self.masker = pairs, masker

    def __len__(self) -> int:
        return len(self.pairs)

    def __getitem__(self, i: int):
        return self.masker(self.pairs[i], i)


class MLMDataModule(PackedDataModule):
    """BERT instances from a sentence-packed dataset (manifest unit "sentence"), with dynamic masking and optional
    next-sentence prediction. NorBERT's two phases are two runs: seq_len 128, then 512 from the first's weights."""

    unit = "sentence"

    def __init__(
        self,
        path: str,
        seq_len: int = 128,
        global_batch_size: int = 256,
        micro_batch_size: int = 32,
        validation_fraction: float = 0.005,
        seed: int = 1234,
        num_workers: int = 2,
        val_every_steps: int | None = None,
        nsp: bool = False,
        mask_probability: float = 0.15,
        short_seq_prob: float = 0.1,
        mask_id: int | None = None,
    ):
        """
        Args:
            path: the packed dataset's folder (sentence format: one sequence per sentence).
            seq_len: tokens per instance with [CLS] and [SEP]s (NorBERT: 128 in phase 1, 512 in phase 2).
            global_batch_size: instances per optimizer step over all GPUs.
            micro_batch_size: instances per forward pass on one GPU.
            validation_fraction: documents held out for validation.
            seed: instance creation, order, masking and dropout follow it.
            num_workers: DataLoader worker processes per GPU.
            val_every_steps: validate every this many optimizer steps.
            nsp: next-sentence prediction (pairs never cross documents; negatives are swapped segments).
            mask_probability: share of the tokens to predict (80% masked, 10% random, 10% kept).
            short_seq_prob: share of instances with a shorter random target length (BERT: 0.1).
            mask_id: id of the mask token; None = the tokenizer's own mask token, or one new id appended to the
                vocabulary when it has none (the export then adds "[MASK]" to the tokenizer).
        """
        super().__init__(
            path, seq_len, global_batch_size, micro_batch_size, validation_fraction, seed, num_workers, val_every_steps
        )
        if not 0 < mask_probability < 1:
            raise ConfigError(f"data.mask_probability={mask_probability} must be in (0, 1)")
        self.nsp, self.mask_probability, self.short_seq_prob = nsp, mask_probability, short_seq_prob
        tok = self.manifest.tokenizer
        self.mask_id = mask_id if mask_id is not None else _tokenizer_mask_id(tok.hf_dir)
        self.appended_mask = self.mask_id is None
        if self.appended_mask:
            self.mask_id = tok.vocab_size
        elif not 0 <= self.mask_id < tok.vocab_size:
            raise ConfigError(f"data.mask_id={self.mask_id} is outside the tokenizer's {tok.vocab_size} ids")

    @property
    def vocab_size(self) -> int:
        return self.manifest.tokenizer.vocab_size + int(self.appended_mask)

    def masker(self) -> Masker:
        tok = self.manifest.tokenizer
        return Masker(
            tok.bos_id,
            tok.eos_id,
            tok.pad_id,
            self.mask_id,
            tok.vocab_size,
            self.seq_len,
            self.seed,
            self.mask_probability,
        )

    def load_split(self, split: str):
        return SentencePairs(
            self.path, self.seq_len, split, self.validation_fraction, self.seed, self.nsp, self.short_seq_prob
        )

    def train_dataset(self):
        return StreamDataset(self.train_samples, transform=self.masker())

    def val_dataset(self):
        return _Masked(self.val_samples, self.masker())


def _tokenizer_mask_id(hf_dir: str | None) -> int | None:
    """The mask token id of the exported Hugging Face tokenizer, or None when it has none (or there is none)."""
    if not hf_dir or not os.path.isdir(hf_dir):
        return None
    from transformers import AutoTokenizer

    return AutoTokenizer.from_pretrained(hf_dir, local_files_only=True).mask_token_id
