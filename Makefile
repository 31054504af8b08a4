# shuangtan: `make report` renders every notebook to outputs/html/, `make test` runs every test.
# Both install the project into .venv first (once; again only when pyproject.toml changes).
# `make help` lists the targets.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
# Corpus folder: `make report SEEDS=/path/to/folder` (any characters; default: $SHUANGTAN_SEEDS, else seeds/).
# Passed to Python through the environment, unexpanded, so spaces, %, :, $ and quotes in the path are safe.
ifneq ($(origin SEEDS),undefined)
export SHUANGTAN_SEEDS := $(value SEEDS)
endif
SHOT_DIR := outputs/screenshots
SHUANGTAN := $(BIN)/python -m shuangtan
# Kernel registered for JupyterLab, papermill and Anaconda: `--user` makes every Jupyter on this account see it.
KERNEL_INSTALL ?= --user

.DEFAULT_GOAL := help
.PHONY: help install kernel hooks report screenshots strip test test-fast export lab clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "} {printf "  make %-12s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@# Build matplotlib's font cache now, not as stderr noise in the first notebook.
	$(BIN)/python -c "import matplotlib.pyplot"
	$(MAKE) --no-print-directory kernel hooks
	touch $@

install: $(STAMP) ## Create .venv, install the project, the "shuangtan" Jupyter kernel and the nbstripout git filter

kernel: ## Register the "shuangtan" Jupyter kernel (this .venv's Python) for JupyterLab, papermill and Anaconda
	$(BIN)/python -m ipykernel install $(KERNEL_INSTALL) --name shuangtan --display-name "Python 3 (shuangtan)"

hooks: ## Strip notebook outputs automatically on `git add` (nbstripout git filter; .gitattributes names it)
	@if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then \
	  git config filter.nbstripout.clean "'$(CURDIR)/$(BIN)/python' -m nbstripout --keep-id" && \
	  git config filter.nbstripout.smudge cat && \
	  git config diff.ipynb.textconv "'$(CURDIR)/$(BIN)/python' -m nbstripout -t --keep-id" && \
	  echo "nbstripout git filter installed"; \
	else echo "not a git checkout: no nbstripout filter installed"; fi

report: $(STAMP) ## Execute the notebooks (cached: only what changed) on SEEDS and write the offline site to outputs/html/
	$(SHUANGTAN) report build

screenshots: $(STAMP) ## Headless-Chromium PNGs of the index and every page in outputs/screenshots/ (needs chromium)
	@mkdir -p $(SHOT_DIR)
	@for page in outputs/html/*.html; do \
	  name=$$(basename "$$page" .html); height=2400; [ "$$name" = index ] && height=1400; \
	  $(SHUANGTAN) report screenshot "$$page" "$(SHOT_DIR)/$$name.png" --height $$height || exit 1; \
	done

strip: $(STAMP) ## Remove outputs and execution counts from the notebooks and name the "shuangtan" kernel
	$(SHUANGTAN) report strip notebooks/*.ipynb

test: $(STAMP) ## Run the unit tests and execute every notebook (tests/test_notebooks.py)
	$(BIN)/python -m pytest tests

test-fast: $(STAMP) ## Run the unit tests without executing the notebooks (quick loop while developing)
	$(BIN)/python -m pytest tests --ignore=tests/test_notebooks.py -q

export: $(STAMP) ## Write the CSV tables of SEEDS to outputs/tables/
	$(SHUANGTAN) export --out outputs/tables

# Extra JupyterLab options, e.g. `make lab LAB_ARGS=--allow-root` inside a container running as root.
LAB_ARGS ?=
lab: $(STAMP) ## Start JupyterLab at the project root with the project's environment (and SEEDS, if given)
	$(BIN)/jupyter lab --ServerApp.root_dir="$(CURDIR)" $(LAB_ARGS)

clean: ## Remove generated files (outputs/), keep .venv
	rm -rf outputs
