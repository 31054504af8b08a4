# shuangtan: `make report` renders every notebook to outputs/html/, `make test` runs every test.
# Both install the project into .venv first. `make help` lists the targets.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
# Corpus folder for the notebooks: `make report SEEDS=/path/to/folder` (default: $SHUANGTAN_SEEDS, else seeds/).
SEEDS  ?=
SEEDS_DIR := $(abspath $(or $(SEEDS),$(SHUANGTAN_SEEDS),seeds))
export SHUANGTAN_SEEDS := $(SEEDS_DIR)

NOTEBOOKS := $(sort $(wildcard notebooks/[0-9][0-9]-*.ipynb))
HTML_DIR  := outputs/html
PAGES     := $(patsubst notebooks/%.ipynb,$(HTML_DIR)/%.html,$(NOTEBOOKS))
STALE     := $(filter-out $(PAGES) $(HTML_DIR)/index.html,$(wildcard $(HTML_DIR)/*.html))
LIB_FILES := $(shell find lib/shuangtan -type f -not -path '*/__pycache__/*' 2>/dev/null)
# The folder itself changes when a document is added, removed or renamed.
SEED_FILES := $(SEEDS_DIR) $(wildcard $(SEEDS_DIR)/*)
# Holds the corpus path of the last render; rewritten only when it changes, so a new SEEDS rebuilds every page.
SEEDS_STAMP := outputs/.seeds-path
SHOT_DIR  := outputs/screenshots
SHOTS     := $(SHOT_DIR)/index.png $(patsubst $(HTML_DIR)/%.html,$(SHOT_DIR)/%.png,$(PAGES))
REPORT    := $(BIN)/python -m shuangtan.report

.DEFAULT_GOAL := help
.PHONY: help install report screenshots strip test test-fast export lab clean FORCE

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "} {printf "  make %-12s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@# Build matplotlib's font cache now, not as stderr noise in the first notebook.
	$(BIN)/python -c "import matplotlib.pyplot"
	touch $@

install: $(STAMP) ## Create .venv and install the project with its dev extras

report: $(HTML_DIR)/index.html ## Execute the notebooks (only those whose inputs changed) and write the offline site to outputs/html/
	@echo "Site: $(abspath $(HTML_DIR))/index.html (open offline, or zip the folder and send it)"

$(SEEDS_STAMP): FORCE
	@mkdir -p $(@D)
	@echo '$(SEEDS_DIR)' | cmp -s - $@ || echo '$(SEEDS_DIR)' > $@

$(HTML_DIR)/%.html: notebooks/%.ipynb $(LIB_FILES) $(SEED_FILES) $(SEEDS_STAMP) | $(STAMP)
	$(REPORT) render $< $@ --seeds '$(SEEDS_DIR)'

# The notebooks/ folder changes when a notebook is added, removed or renamed.
$(HTML_DIR)/index.html: $(PAGES) notebooks $(LIB_FILES) $(SEEDS_STAMP) | $(STAMP)
	$(if $(STALE),rm -f $(STALE))
	$(REPORT) index $(HTML_DIR) $(NOTEBOOKS) --seeds '$(SEEDS_DIR)'

screenshots: $(SHOTS) ## Headless-Chromium PNGs of the rendered pages in outputs/screenshots/

$(SHOT_DIR)/index.png: SHOT_HEIGHT := 1000
$(SHOT_DIR)/%.png: $(HTML_DIR)/%.html | $(STAMP)
	$(REPORT) screenshot $< $@ --height $(or $(SHOT_HEIGHT),2400)

strip: $(STAMP) ## Remove outputs and execution counts from the notebooks (before committing)
	$(REPORT) strip $(wildcard notebooks/*.ipynb)

test: $(STAMP) ## Run the unit tests and execute every notebook (tests/test_notebooks.py)
	$(BIN)/python -m pytest tests

test-fast: $(STAMP) ## Run the unit tests without executing the notebooks (quick loop while developing)
	$(BIN)/python -m pytest tests --ignore=tests/test_notebooks.py -q

export: $(STAMP) ## Write the CSV tables to outputs/tables/
	$(BIN)/python -m shuangtan export --out outputs/tables

# Extra JupyterLab options, e.g. `make lab LAB_ARGS=--allow-root` inside a container running as root.
LAB_ARGS ?=
lab: $(STAMP) ## Start JupyterLab with the project's environment (and SEEDS, if given)
	$(BIN)/python -m pip install --quiet -e '.[dev,lab]'
	$(BIN)/jupyter lab notebooks $(LAB_ARGS)

clean: ## Remove generated files (outputs/), keep .venv
	rm -rf outputs

FORCE:
