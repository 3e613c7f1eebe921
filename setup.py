"""Packaging glue: the top-level `pretrain/` and `evaluate/` folders install as `nordic_pile.pretrain` and
`nordic_pile.evaluate` (the bare names would clash with Hugging Face's `evaluate`). Everything else is in
pyproject.toml."""

from setuptools import Extension, find_packages, setup

MAPPED = {"nordic_pile.pretrain": "pretrain", "nordic_pile.evaluate": "evaluate"}

packages = find_packages(include=["nordic_pile", "nordic_pile.*"])
for name, folder in MAPPED.items():
    packages += [name] + [f"{name}.{sub}" for sub in find_packages(folder)]

# MinHash signatures in C (nordic_pile/dedup/minhash.py falls back to numpy when this could not be built)
FAST_MINHASH = Extension("nordic_pile.dedup._fastminhash", ["nordic_pile/dedup/_fastminhash.c"],
                         extra_compile_args=["-O3"], optional=True)

setup(packages=packages, package_dir=MAPPED, ext_modules=[FAST_MINHASH])
