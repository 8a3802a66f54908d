# `make demo`: set everything up and grade the bundled example submission.
# `make test`: set everything up and run the test suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup demo test lint system-deps clean

system-deps:
	@if ! command -v bwrap >/dev/null 2>&1; then \
		if command -v apt-get >/dev/null 2>&1; then \
			echo "installing bubblewrap (sandbox)"; \
			SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
			$$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq bubblewrap >/dev/null; \
		else \
			echo "warning: bubblewrap not found and no apt-get; submissions will run without isolation"; \
		fi; \
	fi

$(STAMP): pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --disable-pip-version-check torch==2.13.0
	$(BIN)/pip install -q --disable-pip-version-check -e '.[dev]'
	touch $(STAMP)

setup: system-deps $(STAMP)

demo: setup
	cd examples && ../$(BIN)/autograde submit hw1.py --report ../autograde-report.json

test: setup lint
	$(BIN)/python -m pytest -n 2 -q

lint: setup
	$(BIN)/ruff check autograder tests
	$(BIN)/ruff format --check autograder tests
	$(BIN)/mypy autograder

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache autograde-report.json
