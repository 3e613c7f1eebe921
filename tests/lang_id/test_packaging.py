"""The model files are package data: a plain `pip install nordic-pile` has them, so language ID works offline."""

import fnmatch
import shutil
import subprocess
import sys
import zipfile

import pytest
from setuptools import find_packages

from nordic_pile.lang_id.identifier import MODELS_DIR
from tests.conftest import TESTS

ROOT = TESTS.parent
SHIPPED = [
    "lid.176.ftz",
    "nordic-langid.ftz",
    "nordic-langid.json",
    "nordic-langid.words.tsv.zst",
    "nordic-langid.train.yaml",
    "README.md",
]


def test_models_folder_is_a_package_whose_files_match_package_data():
    assert "nordic_pile.lang_id.models" in find_packages(where=str(ROOT), include=["nordic_pile", "nordic_pile.*"])
    tomllib = pytest.importorskip("tomllib")  # Python 3.11+
    with open(ROOT / "pyproject.toml", "rb") as f:
        patterns = tomllib.load(f)["tool"]["setuptools"]["package-data"]["*"]
    for name in SHIPPED:
        assert (ROOT / MODELS_DIR / name).is_file()
        assert any(fnmatch.fnmatch(name, p) for p in patterns), name


@pytest.mark.slow
def test_wheel_contains_the_models(tmp_path):
    source = tmp_path / "src"  # a copy: building writes build/ into the source tree
    source.mkdir()
    for name in ("pyproject.toml", "setup.py", "README.md"):
        shutil.copy(ROOT / name, source / name)
    for folder in ("nordic_pile", "pretrain", "evaluate"):
        shutil.copytree(ROOT / folder, source / folder, ignore=shutil.ignore_patterns("__pycache__"))
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(tmp_path),
            str(source),
        ],
        check=True,
        cwd=tmp_path,
    )
    (wheel,) = tmp_path.glob("nordic_pile-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    assert {f"nordic_pile/lang_id/models/{n}" for n in SHIPPED} <= names
