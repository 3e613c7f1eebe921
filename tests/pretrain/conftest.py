"""Session fixtures: one tokenizer and packed datasets shared by the pretraining tests (about 5 s to build)."""

import pytest
import torch

from tests.pretrain.fixtures import pack, train_tokenizer


@pytest.fixture(autouse=True, scope="session")
def _one_thread():
    """Tiny models run fastest on one thread, and on a shared 2-core machine a second OpenMP thread only spins."""
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)


@pytest.fixture(scope="session")
def tokenizer_dir(tmp_path_factory):
    return train_tokenizer(tmp_path_factory.mktemp("tokenizer"))


@pytest.fixture(scope="session")
def gpt_data(tmp_path_factory, tokenizer_dir):
    return pack(tmp_path_factory.mktemp("gpt_data"), tokenizer_dir, "document")


@pytest.fixture(scope="session")
def bert_data(tmp_path_factory, tokenizer_dir):
    return pack(tmp_path_factory.mktemp("bert_data"), tokenizer_dir, "sentence")
