"""Windows for scoring a long document with a fixed-context causal LM (lm-evaluation-harness's rolling windows).

The sequence scored is `[prefix] + tokens`; every document token is predicted exactly once. The first window
predicts up to `window` tokens from the start of the document; every later window predicts the next `stride` tokens
and fills the rest of its `window` inputs with the tokens just before them. With `stride == window` (the default)
prediction chunks do not overlap and each later window is conditioned on one earlier token, exactly as
lm-evaluation-harness's `loglikelihood_rolling` does; the last, shorter chunk is given a full window of context.
With `stride < window` each token after the first window sees at least `window - stride` tokens of context
(the sliding-window evaluation of the Hugging Face perplexity guide, with more context at the document end).
"""

from __future__ import annotations

from dataclasses import dataclass

from nordic_pile.errors import ConfigError


@dataclass(frozen=True, slots=True)
class Window:
    """One forward pass: inputs are `seq[start:end]`, and the predictions for `seq[target_start:end + 1]` count.

    `seq` is `[prefix] + tokens`, so index i >= 1 of `seq` is document token i - 1.
    """

    start: int
    end: int
    target_start: int

    @property
    def n_inputs(self) -> int:
        return self.end - self.start

    @property
    def n_targets(self) -> int:
        return self.end + 1 - self.target_start


def check_window(window: int, stride: int) -> None:
    if window < 1:
        raise ConfigError(f"window={window}: must be at least 1 token (the model's context length)")
    if not 1 <= stride <= window:
        raise ConfigError(
            f"stride={stride}: must be between 1 and the window ({window}); "
            f"stride == window scores non-overlapping windows"
        )


def plan_windows(n_tokens: int, window: int, stride: int | None = None) -> list[Window]:
    """The windows that score `n_tokens` document tokens (after a one-token prefix) with `window` inputs each."""
    stride = window if stride is None else stride
    check_window(window, stride)
    windows: list[Window] = []
    first = min(window, n_tokens)  # targets seq[1 : first + 1], inputs seq[0 : first]
    if first:
        windows.append(Window(0, first, 1))
    predicted = first  # document tokens scored so far
    while predicted < n_tokens:
        chunk = min(stride, n_tokens - predicted)
        end = predicted + chunk  # inputs end just before the last target, seq index predicted + chunk
        windows.append(Window(max(0, end - window), end, predicted + 1))
        predicted += chunk
    return windows
