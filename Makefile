# Tanya Paspor: every target sets up what it needs, so a fresh clone works with one command.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
SHARED_DEV := ../shared/eval/dev.tsv ../shared/eval/dev-long.tsv

.PHONY: install chat test check bench eval calibrate kb-check clean

install: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

chat: $(STAMP)
	@$(BIN)/python -m bot chat

test: $(STAMP)
	$(BIN)/python -m pytest -q

check: $(STAMP)
	$(BIN)/ruff check bot knowledge tests alembic benchmarks
	$(BIN)/ruff format --check bot knowledge tests alembic benchmarks
	$(BIN)/mypy --strict bot knowledge
	$(BIN)/python -m pytest -q tests/test_architecture.py

bench: $(STAMP)
	$(BIN)/python -m benchmarks

eval: $(STAMP)
	$(BIN)/python -m bot eval $(SHARED_DEV)
	$(BIN)/python -m bot eval --folds 5 $(SHARED_DEV)

calibrate: $(STAMP)
	$(BIN)/python -m bot calibrate --write $(SHARED_DEV)

kb-check: $(STAMP)
	$(BIN)/python -m bot kb check --facts ../shared/mpaspor-facts.md

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache
