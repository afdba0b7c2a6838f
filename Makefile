# Premia: `make demo` and `make test` are the whole quick start (README).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat requirements.txt requirements-dev.txt pyproject.toml | sha1sum | cut -c1-12)

.PHONY: setup demo test lint pytest nodetest bench clean render-tools mutation fuzz

setup: $(STAMP)

$(STAMP): requirements.txt requirements-dev.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps -e .
	rm -f $(VENV)/.installed-*
	touch $@

demo: setup
	$(BIN)/premia demo premia-demo.xlsx --force

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

# The random-input tests at length (make test runs each with a bounded number of examples): the
# reference engine against the real one (with and without splits), garbage in every input column, month close,
# the service routes.
fuzz: setup render-tools
	PREMIA_HYPOTHESIS_PROFILE=fuzz PREMIA_FUZZ_EXAMPLES=1500 $(BIN)/pytest -q -p no:randomly \
		tests/test_reference_engine.py tests/test_reference_splits.py tests/test_fuzz_local.py \
		tests/test_month_close_properties.py \
		tests/test_service_fuzz.py tests/test_pay_properties.py

bench: setup
	$(BIN)/python -m bench.run

# Mutation run over the pay code (docs/mutation.md), from scratch each time; slow, so not part of `make test`.
# Fails when a mutant is neither killed nor listed as a proven equivalent in docs/mutation.md.
mutation: setup
	rm -rf mutants
	$(BIN)/mutmut run
	$(BIN)/mutmut export-cicd-stats
	$(BIN)/mutmut results > mutants/not-killed.txt
	sed -n 's/^ *\([^ :]*\): .*/\1/p' mutants/not-killed.txt | sort -u > mutants/not-killed.names
	grep -o 'formulas\.[^ |`,]*__mutmut_[0-9]*' docs/mutation.md | sort -u > mutants/equivalent.names
	comm -23 mutants/not-killed.names mutants/equivalent.names > mutants/unexplained.names
	cat mutants/mutmut-cicd-stats.json; echo
	@if [ -s mutants/unexplained.names ]; then echo "Not killed and not a listed equivalent:"; \
		grep -F -f mutants/unexplained.names mutants/not-killed.txt; exit 1; fi

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis premia-demo.xlsx mutants
