import pytest

from nordic_pile.errors import ConfigError
from nordic_pile.evaluate.windows import plan_windows


def _coverage(n, window, stride):
    """Checks every token is predicted once, inputs fit the window, and each window sees its targets' context."""
    seen = []
    for w in plan_windows(n, window, stride):
        assert 1 <= w.n_inputs <= window
        assert w.start <= w.target_start - 1 < w.end  # the first target is predicted from inside the window
        seen += range(w.target_start, w.end + 1)
    assert seen == list(range(1, n + 1))
    return plan_windows(n, window, stride)


@pytest.mark.parametrize("n", [1, 7, 8, 9, 16, 17, 23])
def test_non_overlapping_windows_at_document_ends(n):
    windows = _coverage(n, 8, 8)
    first = windows[0]
    assert (first.start, first.end, first.target_start) == (0, min(n, 8), 1)  # prefix + up to 7 tokens
    for w in windows[1:-1]:
        assert w.n_targets == 8 and w.n_inputs == 8 and w.target_start - w.start == 1  # one token of context
    if len(windows) > 1:
        last = windows[-1]
        assert last.end == n and last.n_inputs == 8  # the short last chunk is given a full window of context
        assert last.n_targets == n - 8 * (len(windows) - 1)


@pytest.mark.parametrize(("n", "window", "stride"), [(30, 8, 3), (30, 8, 1), (9, 8, 4), (100, 16, 5)])
def test_strided_windows_give_every_later_token_context(n, window, stride):
    for w in _coverage(n, window, stride)[1:]:
        assert w.target_start - w.start >= window - stride  # context before the first target
        assert w.n_inputs == window


def test_document_that_fits_is_one_window():
    assert len(plan_windows(5, 8)) == 1 and plan_windows(0, 8) == []


@pytest.mark.parametrize(("n", "window", "stride"), [(1, 4, 4), (13, 4, 4), (40, 8, 8), (40, 8, 3), (41, 16, 1)])
def test_same_windows_as_lm_evaluation_harness(n, window, stride):
    utils = pytest.importorskip("lm_eval.utils")
    tokens = list(range(100, 100 + n))
    seq = [-1] + tokens
    ours = [(seq[w.start : w.end], seq[w.target_start : w.end + 1]) for w in plan_windows(n, window, stride)]
    # lm-eval's context_len c predicts window - c + 1 new tokens per window: our stride
    theirs = list(utils.get_rolling_token_windows(tokens, -1, window, window - stride + 1))
    assert [(list(a), list(b)) for a, b in theirs] == ours


@pytest.mark.parametrize(("window", "stride"), [(0, None), (8, 9), (8, 0)])
def test_bad_window_or_stride_is_a_config_error(window, stride):
    with pytest.raises(ConfigError, match="window|stride"):
        plan_windows(10, window, stride)
