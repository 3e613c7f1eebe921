"""Train and save one fastText model in a fresh process: `python -m nordic_pile.lang_id.fit_worker SPEC.json`.

fastText initialises only one tenth of its input matrix per training thread; the fasttext-numpy2-wheel build
leaves the rest uninitialised instead of zero. With one thread the model then depends on what the heap held
before: different bytes, or "Encountered NaN" at any learning rate (measured: the same data trains with
`MALLOC_PERTURB_=255` and fails with `MALLOC_PERTURB_=1`). A fixed mmap threshold alone is not enough: malloc
serves a large request from a freed heap chunk when it has one. So `training.py` starts this process with
`MALLOC_PERTURB_=255`, which makes glibc's malloc return every heap chunk filled with zero bytes (mmapped chunks
are new zeroed pages): the matrix is then zero where fastText does not initialise it, which is what upstream
fastText intends, and the same data and seed give the same bytes.
"""

from __future__ import annotations

import json
import sys


def main(argv: list[str]) -> int:
    with open(argv[0], encoding="utf-8") as f:
        spec = json.load(f)
    import fasttext

    fasttext.FastText.eprint = lambda *args, **kwargs: None
    model = fasttext.train_supervised(
        input=spec["train_file"], thread=spec["threads"], seed=spec["seed"], verbose=0, **spec["fasttext"]
    )
    q = spec["quantize"]
    if q["enabled"]:
        model.quantize(
            input=spec["train_file"],
            qnorm=q["qnorm"],
            cutoff=q["cutoff"],
            dsub=q["dsub"],
            retrain=False,
            thread=spec["threads"],
            verbose=0,
        )
    model.save_model(spec["output"])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
