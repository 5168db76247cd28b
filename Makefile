# Two commands on a fresh machine (Python 3.11+, make and git):
#   make serve   set everything up, then serve the site on http://127.0.0.1:8000
#   make test    set everything up, then run the whole test suite
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
export NO_MKDOCS_2_WARNING := 1

.PHONY: install serve build clinics test check lint format lock benchmark clean

install: $(INSTALLED)

$(INSTALLED): requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e . 2>/dev/null
	touch $@

# --dirty: an edited page shows in about a second (a full rebuild takes several). A change
# to a template, data file or references.bib shows after restarting make serve.
serve: install
	$(BIN)/mkdocs serve --dirty --dev-addr 127.0.0.1:8000

build: install
	$(BIN)/mkdocs build --strict --site-dir site

# Every clinic file in clinics/ becomes a site and a handout pack in clinic-sites/.
clinics: install
	$(BIN)/python -m macros.plugin.clinic_sites

test: install
	$(BIN)/pytest -n auto

check: install
	$(BIN)/python -m macros.check

lint: install
	$(BIN)/ruff format --check macros tests benchmarks
	$(BIN)/ruff check macros tests benchmarks
	$(BIN)/mypy

format: install
	$(BIN)/ruff format macros tests benchmarks
	$(BIN)/ruff check --fix macros tests benchmarks

# Re-pin every dependency after editing pyproject.toml.
lock: install
	$(BIN)/pip-compile --quiet --extra dev --generate-hashes --allow-unsafe --strip-extras \
		--no-emit-index-url --no-emit-find-links --output-file requirements.lock pyproject.toml

benchmark: install
	$(BIN)/python -m benchmarks.build_speed
	$(BIN)/python -m benchmarks.page_weight
	$(BIN)/python -m benchmarks.serve_reload
	$(BIN)/python -m benchmarks.lighthouse
	$(BIN)/python -m benchmarks.clinics

clean:
	rm -rf $(VENV) site clinic-sites .pytest_cache .cache
