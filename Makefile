# shuangtan: `make report` renders every notebook to outputs/html/, `make test` runs every test.
# Both install the project into .venv first. `make help` lists the targets.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
# Corpus folder for the notebooks: `make report SEEDS=/path/to/folder`.
SEEDS  ?=
export SHUANGTAN_SEEDS := $(if $(SEEDS),$(abspath $(SEEDS)),)

NOTEBOOKS := $(sort $(wildcard notebooks/[0-9][0-9]-*.ipynb))
HTML_DIR  := outputs/html
PAGES     := $(patsubst notebooks/%.ipynb,$(HTML_DIR)/%.html,$(NOTEBOOKS))
LIB_FILES := $(shell find lib/shuangtan -type f -not -path '*/__pycache__/*' 2>/dev/null)
SEED_FILES := $(wildcard $(if $(SEEDS),$(SEEDS),seeds)/*)

.DEFAULT_GOAL := help
.PHONY: help install report test export lab clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "} {printf "  make %-12s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

install: $(STAMP) ## Create .venv and install the project with its dev extras

report: $(STAMP) $(PAGES) ## Execute the notebooks and write the HTML site to outputs/html/

$(HTML_DIR)/%.html: notebooks/%.ipynb $(LIB_FILES) $(SEED_FILES) | $(STAMP)
	@mkdir -p $(HTML_DIR)
	$(BIN)/jupyter nbconvert --to html --execute --output-dir $(HTML_DIR) $<

test: $(STAMP) ## Run the unit tests and execute every notebook (nbmake)
	$(BIN)/python -m pytest tests --nbmake notebooks

export: $(STAMP) ## Write the CSV tables to outputs/tables/
	$(BIN)/python -m shuangtan export --out outputs/tables

lab: $(STAMP) ## Start JupyterLab with the project's environment
	$(BIN)/python -m pip install --quiet -e '.[dev,lab]'
	$(BIN)/jupyter lab notebooks

clean: ## Remove generated files (outputs/), keep .venv
	rm -rf outputs
