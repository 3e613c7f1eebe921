"""Tiny models for the evaluation tests, built once per session; one torch thread (faster for tiny models and fair
to a shared machine), restored afterwards."""

import json
import pathlib

import pytest

torch = pytest.importorskip("torch")
transformers = pytest.importorskip("transformers")

from tests.evaluate.tiny import tiny_bert_dir, tiny_llama_dir  # noqa: E402

DATA = pathlib.Path(__file__).parent.parent / "data"
NER = DATA / "ner"
DOCS = DATA / "evaluate" / "ud_docs.jsonl"


@pytest.fixture(autouse=True, scope="package")
def _one_thread():
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    transformers.logging.set_verbosity_error()
    transformers.utils.logging.disable_progress_bar()
    yield
    torch.set_num_threads(threads)


def doc_texts() -> list[str]:
    return [json.loads(line)["text"] for line in DOCS.read_text(encoding="utf-8").splitlines()]


@pytest.fixture(scope="session")
def tiny_llama(tmp_path_factory) -> pathlib.Path:
    """Llama, 2 layers, context 32 tokens, byte-level BPE of 400 tokens trained on the test documents."""
    return tiny_llama_dir(tmp_path_factory.mktemp("tiny_llama"), doc_texts(), context=32)


@pytest.fixture(scope="session")
def ner_train_texts() -> list[str]:
    from nordic_pile.evaluate.conll import read_tagged

    return [" ".join(s.words) for s in read_tagged(str(NER / "da_ddt_train.bio"), "ner").sentences]


@pytest.fixture(scope="session")
def tiny_bert(tmp_path_factory, ner_train_texts) -> pathlib.Path:
    """BERT, 2 layers of 64, cased WordPiece of 2,000 tokens trained on the Danish DDT training file."""
    return tiny_bert_dir(tmp_path_factory.mktemp("tiny_bert"), ner_train_texts)
