"""The top-level folders install under nordic_pile.* and never shadow well-known packages."""

import subprocess
import sys

from tests.engine.helpers import REPO


def _run(code: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True)


def test_bare_evaluate_from_the_repo_root_is_not_ours():
    result = _run("import evaluate; print(evaluate.__file__)")
    if result.returncode == 0:  # Hugging Face's evaluate is installed: that is what `import evaluate` must give
        assert "site-packages" in result.stdout and not result.stdout.startswith(str(REPO / "evaluate"))
    else:
        assert "ModuleNotFoundError: No module named 'evaluate'" in result.stderr


def test_our_folders_import_under_nordic_pile():
    result = _run("import nordic_pile.evaluate.metrics, nordic_pile.pretrain; print('ok')")
    assert result.stdout.strip() == "ok", result.stderr
