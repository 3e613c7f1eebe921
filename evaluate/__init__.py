"""Evaluation: character-normalised perplexity, NER/POS fine-tuning (imported as `nordic_pile.evaluate`).

This folder sits at the top of the repository, so a process started there (`python -m pytest`, `python -m lm_eval`)
would find it as the top-level module `evaluate`, which is Hugging Face's package (lm-evaluation-harness imports
it). When this file is imported under that bare name, it steps aside: it loads Hugging Face's `evaluate` from the
rest of `sys.path` and puts it in `sys.modules`, so `import evaluate` gets the real one (or a ModuleNotFoundError
when it is not installed). Our code is only ever imported as `nordic_pile.evaluate`.
"""

if __name__ == "evaluate":
    import importlib
    import os
    import sys

    _repo = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    _saved = list(sys.path)
    try:
        sys.path[:] = [p for p in sys.path if os.path.abspath(p or os.curdir) != _repo]
        del sys.modules["evaluate"]
        sys.modules["evaluate"] = importlib.import_module("evaluate")
    finally:
        sys.path[:] = _saved
