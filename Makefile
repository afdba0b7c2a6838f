# Premia: `make demo` and `make test` are the whole quick start (README).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat requirements.txt requirements-dev.txt | sha1sum | cut -c1-12)

.PHONY: setup demo test lint pytest nodetest bench clean render-tools

setup: $(STAMP)

$(STAMP): requirements.txt requirements-dev.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	rm -f $(VENV)/.installed-*
	touch $@

demo: setup
	$(BIN)/flask --app service premia demo premia-demo.xlsx

test: setup lint pytest nodetest

lint: setup
	$(BIN)/ruff check .

# LibreOffice and poppler render the demo workbook in tests/test_render.py (installed once, via apt).
render-tools:
	bash tests/render/install-libreoffice.sh

pytest: setup render-tools
	$(BIN)/pytest

nodetest:
	node --test tests/addon/

bench: setup
	$(BIN)/python -m bench.run

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis premia-demo.xlsx
