"""`nordic-pile pack`: every document intact and followed by the end-of-text id, in parallel, deterministic,
resumable, with a manifest the pretraining reader (`PackedSequences`) reads."""

import glob
import gzip
import json
import os
import shutil

import numpy as np
import pytest
import sentencepiece as spm
from transformers import AutoTokenizer

from nordic_pile.cli import main
from nordic_pile.mixture.inputs import InputFile
from nordic_pile.packing.indexed import IndexedDataset
from nordic_pile.packing.jobs import FileMapStep
from nordic_pile.packing.manifest import PackManifest
from nordic_pile.packing.pack import PackJob, PackOptions, pack
from nordic_pile.packing.sequences import PackedSequences
from nordic_pile.text.sentences import split_sentences
from tests.engine.helpers import cli_command
from tests.tokenizer.trained import CURATED, trained_tokenizer

EOS = 3


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    return trained_tokenizer(tmp_path_factory)


@pytest.fixture(scope="module")
def packed(trained, tmp_path_factory):
    out = tmp_path_factory.mktemp("pack") / "packed"
    manifest = pack([str(CURATED)], str(trained[0]), str(out), tasks=3, workers=2)
    return out, manifest


def _documents_by_file():
    docs = {}
    for path in sorted(CURATED.glob("*/*/*.jsonl.gz")):
        with gzip.open(path, "rt", encoding="utf-8") as f:
            docs[os.path.relpath(path, CURATED).removesuffix(".jsonl.gz")] = [json.loads(line) for line in f]
    return docs


def test_every_document_is_intact_and_followed_by_end_of_text(trained, packed):
    out, manifest = packed
    sp = spm.SentencePieceProcessor(model_file=str(trained[0] / "tokenizer.model"))
    docs = _documents_by_file()
    assert [s.prefix for s in manifest.shards] == [f"shards/{k}" for k in docs]
    for shard in manifest.shards:
        ds = IndexedDataset(str(out / shard.prefix))
        expected = docs[shard.prefix.removeprefix("shards/")]
        assert ds.dtype == np.uint16 and ds.num_documents == len(expected) == shard.documents
        stream = np.concatenate([ds[i] for i in range(len(ds))]).tolist()  # the shard as one token stream
        assert stream[-1] == EOS and stream.count(EOS) == len(expected)
        pieces, current = [], []
        for token in stream:
            if token == EOS:
                pieces.append(current)
                current = []
            else:
                current.append(token)
        assert [sp.decode(p) for p in pieces] == [d["text"] for d in expected]
        assert shard.tokens == len(stream)


def test_manifest_counts_slices_and_names_the_tokenizer(trained, packed):
    out, manifest = packed
    loaded = PackManifest.load(str(out))
    assert loaded.dtype == "uint16" and loaded.unit == "document" and loaded.eos_after_every_document
    assert loaded.tokenizer.sha256 == trained[1]["sha256"] and loaded.tokenizer.vocab_size == 2000
    assert (loaded.tokenizer.eos_id, loaded.tokenizer.bos_id, loaded.tokenizer.pad_id) == (3, 2, 0)
    assert sum(s["tokens"] for s in loaded.slices.values()) == loaded.total_tokens
    assert loaded.slices["isl/books"]["documents"] == 34 and set(loaded.slices) >= {"code/code", "fao/wiki"}
    hf = AutoTokenizer.from_pretrained(loaded.tokenizer.hf_dir)
    sp = spm.SentencePieceProcessor(model_file=loaded.tokenizer.model)
    assert hf.encode("Halló, heimur!  12") == sp.encode("Halló, heimur!  12")
    # the pretraining reader: fixed-length windows across documents, every window decodes
    sequences = PackedSequences(str(out), seq_len=128, split="train", validation_fraction=0.1, seed=3)
    validation = PackedSequences(str(out), seq_len=128, split="validation", validation_fraction=0.1, seed=3)
    assert sequences.num_tokens + validation.num_tokens == loaded.total_tokens
    window = sequences[len(sequences) // 2]
    assert window.shape == (129,) and (window < 2000).all()


def test_pack_is_the_same_bytes_for_any_task_count(trained, packed, tmp_path):
    out, _ = packed
    one = tmp_path / "one"
    pack([str(CURATED)], str(trained[0]), str(one), tasks=1)
    for path in sorted(glob.glob(str(out / "shards" / "**" / "*.*"), recursive=True)):
        relative = os.path.relpath(path, out)
        assert (one / relative).read_bytes() == open(path, "rb").read(), relative


def test_a_killed_pack_finishes_correctly_when_rerun(trained, packed, tmp_path, capsys):
    out, _ = packed
    killed = tmp_path / "killed"
    args = [
        "pack",
        str(CURATED),
        "--tokenizer",
        str(trained[0]),
        "--output",
        str(killed),
        "--tasks",
        "2",
        "--workers",
        "1",
    ]
    assert main(args) == 0
    # as if killed while task 1 was writing a shard: no completion, a half-written .bin, no record, no manifest
    os.remove(killed / "logs" / "pack" / "completions" / "00001")
    victim = killed / "shards" / "isl" / "books" / "00000"
    os.remove(f"{victim}.json")
    os.remove(f"{victim}.idx")
    os.replace(f"{victim}.bin", f"{victim}.bin.partial")
    with open(f"{victim}.bin.partial", "r+b") as f:
        f.truncate(1000)
    os.remove(killed / "manifest.json")
    assert main(args) == 0
    for path in sorted(glob.glob(str(out / "shards" / "**" / "*.*"), recursive=True)):
        relative = os.path.relpath(path, out)
        assert (killed / relative).read_bytes() == open(path, "rb").read(), relative
    assert not glob.glob(str(killed / "shards" / "**" / "*.partial"), recursive=True)
    assert "manifest:" in capsys.readouterr().out
    capsys.readouterr()
    other = ["pack", str(CURATED / "isl"), "--tokenizer", str(trained[0]), "--output", str(killed)]
    assert main(other) == 2
    assert "made with another inputs; pass --overwrite" in capsys.readouterr().err


def test_sentence_unit_keeps_sentences_within_documents(trained, tmp_path):
    out = tmp_path / "bert"
    manifest = pack([str(CURATED / "nob")], str(trained[0]), str(out), unit="sentence", tasks=2, workers=1)
    assert manifest.unit == "sentence" and not manifest.eos_after_every_document
    sp = spm.SentencePieceProcessor(model_file=str(trained[0] / "tokenizer.model"))
    docs = _documents_by_file()
    for shard in manifest.shards:
        ds = IndexedDataset(str(out / shard.prefix))
        expected = docs["nob/" + shard.prefix.removeprefix("shards/")]
        assert ds.num_documents == len(expected) and len(ds) == shard.sequences
        for d, doc in enumerate(expected):
            sentences = [sp.decode(s.tolist()) for s in ds.document(d)]
            assert sentences == split_sentences(doc["text"], "nob")
            assert all(EOS not in s for s in ds.document(d))


class _WideVocabulary:
    """A character-level stand-in tokenizer with 70,000 ids, to pack beyond uint16."""

    path = "wide"
    vocab_size = 70_000

    def encode_batch(self, texts):
        return [[66_000 + (ord(c) % 4000) for c in text] for text in texts]


def test_a_vocabulary_beyond_uint16_packs_as_int32(tmp_path):
    files = [InputFile(str(CURATED), "fao/wiki/00000.jsonl.gz")]
    job = PackJob(_WideVocabulary(), PackOptions(eos_id=69_999, dtype="int32"), str(tmp_path), ["wiki"])
    list(FileMapStep(files, job).run())
    ds = IndexedDataset(str(tmp_path / "shards" / "wiki"))
    assert ds.dtype == np.int32 and ds[0][-1] == 69_999 and ds[0][0] >= 66_000
    record = json.loads((tmp_path / "shards" / "wiki.json").read_text())
    assert record["documents"] == ds.num_documents


def test_a_tokenizer_without_eos_is_refused():
    with pytest.raises(Exception, match="has no end-of-text"):
        PackOptions(eos_id=-1)


def test_moved_pack_finds_its_tokenizer(packed, tmp_path):
    out, _ = packed
    moved = tmp_path / "moved"
    shutil.copytree(out, moved)
    shutil.rmtree(out / "tokenizer" / "hf.moved", ignore_errors=True)
    os.rename(out / "tokenizer", out / "tokenizer.moved")
    try:
        loaded = PackManifest.load(str(moved))
        assert loaded.tokenizer.model == str(moved / "tokenizer" / "tokenizer.model")
        assert loaded.tokenizer.hf_dir == str(moved / "tokenizer" / "hf")
    finally:
        os.rename(out / "tokenizer.moved", out / "tokenizer")


def test_measured_tokens_match_the_pack(trained, packed):
    from nordic_pile.mixture.measure import measure

    _, manifest = packed
    sizes, _ = measure([str(CURATED)], tokenizer=str(trained[0]), tasks=2, workers=1)
    for s in sizes:
        counts = manifest.slices[f"{s.language}/{s.category}"]
        assert s.tokens == counts["tokens"] - counts["documents"]  # the pack adds one eos per document
        assert s.chars == counts["chars"]


@pytest.mark.slow
def test_a_pack_killed_by_sigkill_finishes_correctly_when_rerun(trained, tmp_path):
    import signal
    import subprocess
    import time

    src = tmp_path / "big"
    for k in range(24):  # 24 copies of the fixture: long enough to kill in the middle
        shutil.copytree(CURATED, src / f"{k:02d}")
    args = cli_command("pack", src, "--tokenizer", trained[0], "--tasks", 2, "--workers", 1)
    reference = tmp_path / "reference"
    subprocess.run([*args, "--output", str(reference)], check=True, capture_output=True)
    killed = tmp_path / "killed"
    process = subprocess.Popen([*args, "--output", str(killed)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    while len(glob.glob(str(killed / "shards" / "**" / "*.json"), recursive=True)) < 40:
        time.sleep(0.05)
        assert process.poll() is None, "finished before it could be killed"
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert not (killed / "manifest.json").exists()
    subprocess.run([*args, "--output", str(killed)], check=True, capture_output=True)
    for path in sorted(glob.glob(str(reference / "shards" / "**" / "*.*"), recursive=True)):
        relative = os.path.relpath(path, reference)
        assert (killed / relative).read_bytes() == open(path, "rb").read(), relative
    assert (
        json.loads((killed / "manifest.json").read_text())["shards"]
        == json.loads((reference / "manifest.json").read_text())["shards"]
    )
