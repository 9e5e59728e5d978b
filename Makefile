# News corpus analysis: `make report` runs the main job, `make test` runs the tests.
# Both create .venv and install the project with pinned dependencies when needed.

PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.DEFAULT_GOAL := help
.PHONY: help setup report build lab browser test lint bench lock clean

help: ## List the targets
	@grep -hE '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "}; {printf "  make %-10s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml constraints.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed (set PYTHON=...)")'
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -c constraints.txt -e '.[test]'
	@touch $(STAMP)

setup: $(STAMP) ## Create .venv and install the project with pinned dependencies

build: $(STAMP) ## Run the pipeline on data/raw/ into data/processed/
	$(PY) -m analysis build

report: build ## The main job: set up, build data/processed/ from data/raw/, then the HTML reports (reports/index.html)
	$(PY) -m analysis report

lab: $(STAMP) ## Open the notebooks in JupyterLab (the .py files open as notebooks through jupytext)
	$(PY) -m jupyter lab notebooks/

browser: ## Install headless Chromium and its driver when missing (Debian packages; for the browser test)
	@command -v chromium >/dev/null && command -v chromedriver >/dev/null || \
	  { apt-get update -qq && apt-get install -y -qq chromium chromium-driver; } || \
	  echo "warning: could not install chromium and chromium-driver: the browser test will be skipped" >&2

test: $(STAMP) browser ## Set up (Chromium too), then lint (ruff, mypy) and run the whole test suite
	$(PY) -m ruff check src tests benchmarks
	$(PY) -m ruff format --check src tests benchmarks
	$(PY) -m mypy src
	$(PY) -m pytest

lint: $(STAMP) ## Ruff (checks and formatting) on src/, tests/ and benchmarks/; mypy on src/
	$(PY) -m ruff check src tests benchmarks
	$(PY) -m ruff format --check src tests benchmarks
	$(PY) -m mypy src

BENCH_STAMP := $(VENV)/.installed-bench

$(BENCH_STAMP): $(STAMP)
	$(PY) -m pip install --quiet -c constraints.txt -e '.[test,bench]'
	@touch $(BENCH_STAMP)

SCALE_SIZES ?= 1000 5000
SCALE_ARGS ?=

bench: $(BENCH_STAMP) ## Speed, memory and quality vs baselines (data/interim/bench/*.json, reports/bench/scale.*)
	$(PY) benchmarks/bench.py
	$(PY) benchmarks/countries_vs_spacy.py
	$(PY) benchmarks/topics_vs_lda.py
	$(PY) benchmarks/scale.py --sizes $(SCALE_SIZES) --naive-sample 100 $(SCALE_ARGS)

lock: $(STAMP) ## Re-pin every transitive dependency into constraints.txt
	@{ echo "# Full pinned environment (transitive dependencies), used as pip constraints by the Makefile."; \
	   echo "# Regenerate with: make lock"; \
	   $(PY) -m pip freeze --exclude-editable; } > constraints.txt

clean: ## Remove outputs in data/processed/ and reports/ (keeps .gitkeep)
	find data/processed reports -mindepth 1 ! -name .gitkeep -delete
