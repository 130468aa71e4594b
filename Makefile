# Tanya Paspor: every target sets up what it needs, so a fresh clone works with one command.
# `.venv` is made from the distribution's CPython when it is 3.11 or newer: Debian builds it
# with profile-guided and link-time optimisation into the executable itself, where a pyenv or
# source build is by default unoptimised and calls a shared libpython, and the same code costs
# more CPU per message there (docs/figures.md, "Ninth part: the interpreter"). PYTHON=...
# chooses another; `make clean` first to switch. Deferred (`=`): asked only when a venv is made.
SYSTEM_PYTHON = $(shell /usr/bin/python3 -c \
	'import sys; print(sys.executable if sys.version_info >= (3, 11) else "")' 2>/dev/null)
PYTHON ?= $(or $(SYSTEM_PYTHON),python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
SHARED_DEV := ../shared/eval/dev.tsv ../shared/eval/dev-long.tsv

.PHONY: install chat test check bench eval calibrate kb-check mutate clean

install: $(STAMP)

# Debian's interpreter makes no venv without its python3-venv package: then python3's does.
$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV) || { rm -rf $(VENV); python3 -m venv $(VENV); }
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

chat: $(STAMP)
	@$(BIN)/python -m bot chat

# The suite mostly waits (fake APIs, outages, restarts, browsers) rather than computing, so it
# runs in TEST_WORKERS processes (pytest-xdist) that each take the next test when they finish
# one; docs/testing.md has its time on this 2-core machine.
TEST_WORKERS ?= 4
PYTEST := $(BIN)/python -m pytest -q -p no:cacheprovider

test: $(STAMP)
	$(PYTEST) -n $(TEST_WORKERS) --dist worksteal

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

# Mutation testing of knowledge/, bot/core/ and bot/delivery/ ([tool.mutmut] in pyproject.toml;
# not in CI: it is slow). Incremental: a killed mutant keeps its verdict until its function
# changes, the others are tried again (new tests may catch them); `rm -rf mutants` starts
# afresh. mutmut runs the tests from mutants/, so the shared dev sets that the tests look for
# beside the checkout are linked beside mutants/ too.
MUTMUT := $(BIN)/mutmut run --max-children 2
SCORE := $(BIN)/python tests/mutation/score.py $(BIN)/mutmut

mutate: $(STAMP)
	test ! -d ../shared || test -e shared || ln -s ../shared shared
	$(MUTMUT)
	$(MUTMUT) $$($(SCORE) --not-killed)
	$(SCORE)

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache mutants
