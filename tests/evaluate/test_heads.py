import pytest
import torch
from transformers import AutoConfig, AutoModel

from nordic_pile.evaluate.heads import SequenceClassifier, TokenClassifier, is_decoder


@pytest.mark.parametrize(
    ("model", "poolings"), [("tiny_llama", ("last", "mean")), ("tiny_bert", ("cls", "pooled", "mean"))]
)
def test_sequence_vector_ignores_right_padding(model, poolings, request):
    path = request.getfixturevalue(model)
    torch.manual_seed(0)
    backbone = AutoModel.from_pretrained(path).eval()
    short = torch.tensor([[5, 9, 12]])
    padded = torch.tensor([[5, 9, 12, 0, 0], [7, 8, 9, 10, 11]])
    mask = torch.tensor([[1, 1, 1, 0, 0], [1, 1, 1, 1, 1]])
    for pooling in poolings:
        head = SequenceClassifier(backbone, 3, pooling, dropout=0.0).eval()
        with torch.no_grad():
            alone = head(short, torch.ones_like(short))
            batched = head(padded, mask)
        assert torch.allclose(alone[0], batched[0], atol=1e-5), pooling
    default = SequenceClassifier(backbone, 3).pooling
    assert default == ("last" if is_decoder(AutoConfig.from_pretrained(path)) else "cls")


def test_token_head_shapes(tiny_llama):
    head = TokenClassifier(AutoModel.from_pretrained(tiny_llama), 7)
    assert head(torch.tensor([[1, 2, 3]]), torch.ones(1, 3, dtype=torch.long)).shape == (1, 3, 7)
