"""Session fixtures: one tokenizer and packed datasets shared by the pretraining tests (about 5 s to build)."""

import pytest

from tests.pretrain.fixtures import pack, train_tokenizer


@pytest.fixture(scope="session")
def tokenizer_dir(tmp_path_factory):
    return train_tokenizer(tmp_path_factory.mktemp("tokenizer"))


@pytest.fixture(scope="session")
def gpt_data(tmp_path_factory, tokenizer_dir):
    return pack(tmp_path_factory.mktemp("gpt_data"), tokenizer_dir, "document")


@pytest.fixture(scope="session")
def bert_data(tmp_path_factory, tokenizer_dir):
    return pack(tmp_path_factory.mktemp("bert_data"), tokenizer_dir, "sentence")
