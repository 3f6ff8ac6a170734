# backprop_book: the two commands a reader needs are `make serve` and `make test`.
# Each does its own set-up (scripts/setup.sh), which is idempotent and pinned.

PYTHON ?= python3
export PYTHON
VENV   := .venv
BIN    := $(VENV)/bin
PY     := $(BIN)/python
export NO_MKDOCS_2_WARNING := 1
# Compiled modules go to .cache/pycache (git-ignored), not into __pycache__ folders of the tree:
# every process after the first (the second edition, the notebook kernels, a second build)
# imports them instead of compiling about a thousand modules again.
export PYTHONPYCACHEPREFIX := $(CURDIR)/.cache/pycache
export MPLBACKEND := Agg
# One BLAS thread per process (unless you set another): the book's matrices are small, and
# OpenBLAS's threads wait for each other by spinning, so with two build processes (or two test
# workers) on two cores a page's training ran 5-8 times slower (cold strict build: 90 s of CPU
# with the default, 41 s with one thread).
OPENBLAS_NUM_THREADS ?= 1
OMP_NUM_THREADS ?= 1
export OPENBLAS_NUM_THREADS OMP_NUM_THREADS

.PHONY: help setup serve test lint unit matrix docs pdf print site-tests part bench clean

help:  ## list the targets
	@grep -E '^[a-z-]+:.*##' $(MAKEFILE_LIST) | sed 's/:.*## /\t/'

setup:  ## create .venv and node_modules from the lock files (no-op when up to date)
	@scripts/setup.sh

# scripts/serve.py: both editions on one address (/ and /ko/), each rebuilt only when its own
# pages change, with the serve-only caches of hooks/page_cache.py and hooks/exec_cache.py.
serve: setup  ## serve the book at http://127.0.0.1:8000 (Korean at /ko/) with live reload
	$(PY) scripts/serve.py --dev-addr 127.0.0.1:8000

test:  ## everything: lint, unit tests + doctests, strict build, the PDFs, tests of the built site in Chromium
	@scripts/setup.sh --browser
	$(MAKE) --no-print-directory lint unit docs print site-tests

LINTED := src tests examples hooks scripts benchmarks

lint: setup  ## ruff, codespell, offline audit and schema check of the GitHub workflows
	$(BIN)/ruff check $(LINTED)
	$(BIN)/ruff format --check $(LINTED)
	$(BIN)/ruff check docs
	$(BIN)/ruff format --check docs/notebooks
	$(PY) scripts/lint_page_code.py
	$(BIN)/mypy
	$(BIN)/codespell $(LINTED) docs README.md
	$(BIN)/zizmor --offline --quiet .github/workflows
	$(BIN)/check-jsonschema --builtin-schema vendor.github-workflows .github/workflows/*.yml

# pytest-xdist spreads the tests over the cores (-n auto). The site tests go by class and module
# (--dist loadscope): each edition's tour of every page in tests/gates/test_tour.py is one
# class, so each edition is toured once, on one worker, while the other workers run the rest.
unit: setup  ## pytest: unit tests and the package's doctests
	$(BIN)/pytest -m "not site" -q -n auto

matrix: setup  ## unit tests and doctests on every Python the package claims (3.10-3.13, nox)
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/nox

docs: setup  ## build the site with --strict (every executed block, notebook and snippet must work)
	$(BIN)/mkdocs build --strict --clean

pdf:  ## the PDF editions, site/backprop_book.pdf and site/ko/backprop_book-ko.pdf (builds the site first)
	@scripts/setup.sh --browser
	$(MAKE) --no-print-directory docs print

print: setup  # print the built site to the two PDFs (make pdf builds the site first)
	$(PY) scripts/make_pdf.py

site-tests: setup  ## tests of the built site: HTML checks and the real browser (Chromium)
	$(BIN)/pytest -m site -q -n auto --dist loadscope --no-loadscope-reorder

# One folder of tests/: a part of the book (graphs, layers, training, models: its modules,
# examples and pages), or gates, tooling. The page tests read the built site: make docs first.
part: setup  ## one part's tests, e.g. make part PART=layers (page tests need make docs first)
	@test -n "$(PART)" -a -d "tests/$(PART)" || { echo "PART must name a folder of tests/:" \
	  $$(cd tests && ls -d */ | grep -v -e __ -e helpers | tr -d /); exit 2; }
	$(BIN)/pytest -q tests/$(PART)

bench: setup  ## benchmarks (published on the site, never asserted), or some: make bench BENCH="pages pdf"
	$(PY) benchmarks/run_all.py $(BENCH)

clean:  ## remove built files (keeps .venv and node_modules)
	rm -rf site dist build .pytest_cache .ruff_cache test-artifacts
