import pytest
import torch
from transformers import AutoTokenizer

from nordic_pile.evaluate.finetune import TrainConfig, train
from nordic_pile.evaluate.token_data import IGNORE, encode_words
from tests.evaluate.conftest import doc_texts
from tests.evaluate.tiny import sentencepiece_bpe_tokenizer

WORDS = ["Statsminister", "Jonas", "Gahr", "Støre", "besøkte", "Tromsø", "og", "Universitetet", "i", "Bergen", "."]


@pytest.mark.parametrize("model", ["tiny_bert", "tiny_llama", "sentencepiece"])
def test_labels_on_first_sub_words_and_long_sentences_split(model, request):
    if model == "sentencepiece":  # what our SentencePiece tokenizer exports to: Metaspace pieces, a lone "▁"
        tok = sentencepiece_bpe_tokenizer(doc_texts())
    else:
        tok = AutoTokenizer.from_pretrained(request.getfixturevalue(model))
    labels = [list(range(len(WORDS)))]
    whole = encode_words(tok, [WORDS], labels, max_length=128)
    [chunk] = whole.chunks
    assert whole.split_sentences == 0 and whole.words_without_subwords == 0
    assert [chunk.labels[p] for p in chunk.word_pos] == labels[0]
    assert sum(label != IGNORE for label in chunk.labels) == len(WORDS)
    for k, pos in enumerate(chunk.word_pos):  # the first sub-word of each word spells the word's beginning
        piece = tok.convert_ids_to_tokens(chunk.input_ids[pos]).lstrip("▁Ġ").removeprefix("##")
        piece = tok.decode([chunk.input_ids[pos]]).strip() if model == "tiny_llama" else piece
        assert WORDS[k].startswith(piece), (WORDS[k], piece)
    pieces = encode_words(tok, [WORDS], labels, max_length=8)
    assert pieces.split_sentences == 1 and len(pieces.chunks) > 1
    assert all(len(c.input_ids) <= 8 for c in pieces.chunks)
    seen = [c.first_word + k for c in pieces.chunks for k, p in enumerate(c.word_pos) if p >= 0]
    assert seen == list(range(len(WORDS)))  # every word labelled once, in order, across the pieces
    assert [c.labels[p] for c in pieces.chunks for p in c.word_pos] == labels[0]


def test_early_stopping_restores_the_best_dev_state():
    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Embedding(10, 4), torch.nn.Linear(4, 3))
    wrapper = _Wrapped(model)
    scores = iter([0.1, 0.5, 0.4, 0.3, 0.2, 0.9])
    states = []

    def dev(m):
        states.append({k: v.clone() for k, v in m.state_dict().items()})
        return next(scores)

    examples = [([1, 2, 3], [0, 1, 2])] * 4

    def make_batch(rows):
        return (
            torch.tensor([r[0] for r in rows]),
            torch.ones(len(rows), 3, dtype=torch.long),
            torch.tensor([r[1] for r in rows]),
        )

    cfg = TrainConfig(lr=0.1, batch_size=4, epochs=6, patience=2, schedule="constant")
    outcome = train(wrapper, examples, make_batch, dev, cfg, seed=0)
    assert outcome.steps == 4 and outcome.best_step == 2 and outcome.best_dev == 0.5  # 0.4, 0.3: stop
    assert all(torch.equal(v, states[1][k]) for k, v in wrapper.state_dict().items())
    assert [h["dev"] for h in outcome.history] == [0.1, 0.5, 0.4, 0.3]


class _Wrapped(torch.nn.Module):
    """A minimal token classifier with the (input_ids, attention_mask) call of the real heads."""

    def __init__(self, inner):
        super().__init__()
        self.backbone = inner

    def forward(self, ids, mask):
        return self.backbone(ids)


def test_a_word_longer_than_the_input_keeps_its_first_sub_word(tiny_bert):
    tok = AutoTokenizer.from_pretrained(tiny_bert)
    words = ["Oslo", "Donaudampfschifffahrtsgesellschaftskapitänsmütze" * 3, "og", "Bergen"]
    enc = encode_words(tok, [words], [[1, 2, 3, 4]], max_length=6)
    assert enc.words_without_subwords == 0 and all(len(c.input_ids) <= 6 for c in enc.chunks)
    assert [c.labels[p] for c in enc.chunks for p in c.word_pos] == [1, 2, 3, 4]
