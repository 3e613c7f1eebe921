"""Export a SentencePiece BPE model as a Hugging Face fast tokenizer that encodes exactly as sentencepiece does.

transformers' converters assume Llama's layout (unk = 0) and turn user-defined pieces into added tokens, which are
split off before the dummy prefix is added and so encode a leading line break or run of spaces differently. Here
the `tokenizers` pipeline mirrors sentencepiece step by step:

    normalizer      prepend `▁` (the dummy prefix), then every space -> `▁`         (identity rule, no NFKC)
    pre-tokenizer   isolate user-defined pieces, longest first, left to right         (sentencepiece's prefix matcher)
    model           BPE over the vocabulary with merges ranked by piece score, byte fallback for unknown characters
    decoder         `▁` -> space, bytes -> characters, drop the dummy prefix

Special pieces (pad, unk, bos, eos, code-language tokens) are special added tokens that are never matched inside
text (`split_special_tokens`), as in sentencepiece, where `<|endoftext|>` typed in a text is just characters.
"""

from __future__ import annotations

import json
import os
import re
import shutil

from nordic_pile.errors import ConfigError

NORMAL, UNKNOWN, CONTROL, USER_DEFINED, UNUSED, BYTE = 1, 2, 3, 4, 5, 6


def _load_proto(model_path: str):
    from sentencepiece import sentencepiece_model_pb2 as model_pb2

    proto = model_pb2.ModelProto()
    with open(model_path, "rb") as f:
        proto.ParseFromString(f.read())
    return proto


def _merges(proto) -> list[tuple[str, str]]:
    """Every split of every mergeable piece into two mergeable pieces, ranked like sentencepiece merges: user pieces
    first (they only ever meet inside their own isolated run), then by descending piece score."""
    vocab = {p.piece: i for i, p in enumerate(proto.pieces)}
    mergeable = {p.piece for p in proto.pieces if p.type in (NORMAL, USER_DEFINED)}
    ranked = []
    for i, p in enumerate(proto.pieces):
        if p.type not in (NORMAL, USER_DEFINED) or len(p.piece) < 2:
            continue
        splits = [(p.piece[:k], p.piece[k:]) for k in range(1, len(p.piece))]
        splits = [s for s in splits if s[0] in mergeable and s[1] in mergeable]
        splits.sort(key=lambda s: (vocab[s[0]], vocab[s[1]]))
        ranked.extend(((0 if p.type == USER_DEFINED else 1, -p.score, i, n), s) for n, s in enumerate(splits))
    ranked.sort()
    return [s for _, s in ranked]


def build_fast_tokenizer(model_path: str):
    """A `tokenizers.Tokenizer` equivalent to the SentencePiece BPE model at `model_path`."""
    from tokenizers import AddedToken, Regex, Tokenizer, decoders, models, normalizers, pre_tokenizers

    proto = _load_proto(model_path)
    spec, norm = proto.trainer_spec, proto.normalizer_spec
    if spec.model_type != 2:  # BPE
        raise ConfigError(f"{model_path} is not a BPE model (type {spec.model_type}); only BPE is exported")
    if norm.name != "identity" or norm.precompiled_charsmap or norm.remove_extra_whitespaces:
        raise ConfigError(
            f"{model_path} normalises text inside the tokenizer ({norm.name!r}, remove_extra_whitespaces="
            f"{norm.remove_extra_whitespaces}); export supports identity normalisation only (the "
            "`nordic-pile tokenizer train` default)"
        )
    if spec.treat_whitespace_as_suffix or not norm.escape_whitespaces:
        raise ConfigError(f"{model_path}: treat_whitespace_as_suffix or unescaped whitespace is not supported")
    vocab = {p.piece: i for i, p in enumerate(proto.pieces)}
    unk = proto.pieces[spec.unk_id].piece
    tokenizer = Tokenizer(
        models.BPE(
            vocab=vocab,
            merges=_merges(proto),
            unk_token=unk,
            fuse_unk=True,
            byte_fallback=spec.byte_fallback,
            dropout=None,
        )
    )
    steps = [normalizers.Prepend("▁")] if norm.add_dummy_prefix else []
    tokenizer.normalizer = normalizers.Sequence([*steps, normalizers.Replace(" ", "▁")])
    user = sorted((p.piece for p in proto.pieces if p.type == USER_DEFINED), key=lambda s: (-len(s), s))
    if user:
        pattern = "|".join(re.escape(u) for u in user)
        tokenizer.pre_tokenizer = pre_tokenizers.Split(Regex(pattern), behavior="isolated")
    decode = [decoders.Replace("▁", " "), decoders.ByteFallback(), decoders.Fuse()]
    if norm.add_dummy_prefix:
        decode.append(decoders.Strip(content=" ", left=1, right=0))
    tokenizer.decoder = decoders.Sequence(decode)
    specials = [
        AddedToken(p.piece, special=True, normalized=False) for p in proto.pieces if p.type in (CONTROL, UNKNOWN)
    ]
    tokenizer.add_special_tokens(specials)
    return tokenizer


def export_hf(model_path: str, output_dir: str) -> str:
    """Write a directory that `transformers.AutoTokenizer.from_pretrained(output_dir)` loads offline."""
    from transformers import PreTrainedTokenizerFast

    proto = _load_proto(model_path)
    spec = proto.trainer_spec

    def piece(i: int) -> str | None:
        return proto.pieces[i].piece if 0 <= i < len(proto.pieces) else None

    fast = PreTrainedTokenizerFast(
        tokenizer_object=build_fast_tokenizer(model_path),
        bos_token=piece(spec.bos_id),
        eos_token=piece(spec.eos_id),
        unk_token=piece(spec.unk_id),
        pad_token=piece(spec.pad_id),
        split_special_tokens=True,
        clean_up_tokenization_spaces=False,
        model_max_length=int(1e30),
    )
    partial = output_dir.rstrip("/") + ".partial"
    shutil.rmtree(partial, ignore_errors=True)
    fast.save_pretrained(partial)
    config_path = os.path.join(partial, "tokenizer_config.json")
    with open(config_path, encoding="utf-8") as f:
        config = json.load(f)
    # the class every transformers version knows (4.x has no TokenizersBackend); added_bos/eos: sentencepiece adds none
    config |= {
        "tokenizer_class": "PreTrainedTokenizerFast",
        "add_bos_token": False,
        "add_eos_token": False,
        "split_special_tokens": True,
    }
    with open(config_path, "w", encoding="utf-8") as f:
        json.dump(config, f, indent=2, sort_keys=True, ensure_ascii=False)
        f.write("\n")
    shutil.copyfile(model_path, os.path.join(partial, "tokenizer.model"))
    if os.path.isdir(output_dir):
        shutil.rmtree(output_dir)
    os.replace(partial, output_dir)
    return output_dir


def check_export(model_path: str, hf_dir: str, texts: list[str]) -> list[str]:
    """The texts that the exported tokenizer encodes or decodes differently from sentencepiece (empty when equal)."""
    import sentencepiece as spm
    from transformers import AutoTokenizer

    sp = spm.SentencePieceProcessor(model_file=model_path)
    hf = AutoTokenizer.from_pretrained(hf_dir)
    texts = list(texts)
    expected = sp.encode(texts)
    got = hf(texts, add_special_tokens=True)["input_ids"] if texts else []
    decoded = hf.batch_decode(expected) if texts else []
    return [
        text
        for text, a, b, d, e in zip(texts, expected, got, decoded, sp.decode(expected), strict=True)
        if a != b or d != e
    ]
