# Quick start: `make demo` audits the shipped sample data; `make test` runs the whole suite.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test fuzz lint bench docs countries clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): setup.cfg setup.py pyproject.toml $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev,gx]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/esg-audit check sample_data/ --out reports/ --format xlsx,json,csv,html --as-of 2026-11-27

# The import contracts in setup.cfg first: a broken layer fails fast, before the suite runs.
test: $(STAMP)
	$(BIN)/lint-imports --no-logo
	$(BIN)/python -m pytest

# Property-based fuzzing at length: FUZZ_EXAMPLES examples per property (the suite runs a few).
FUZZ_EXAMPLES ?= 20000
fuzz: $(STAMP)
	HYPOTHESIS_PROFILE=fuzz FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) $(BIN)/python -m pytest tests/fuzz -q -p no:cacheprovider

lint: $(STAMP)
	$(BIN)/ruff check esg_audit tests benchmarks
	$(BIN)/mypy esg_audit

docs: $(STAMP)
	$(BIN)/python -m esg_audit.rules.docs docs/rules.md

# The country names the normaliser reads, rebuilt from pycountry (after upgrading it).
countries: $(STAMP)
	$(BIN)/python -c "from esg_audit.normalise import countries as c; c.NAMES_FILE.write_text(c.country_names_text(), encoding='utf-8')"

bench: $(STAMP)
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache
