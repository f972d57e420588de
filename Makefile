# Customer 360 — `make` lists the targets.
.DEFAULT_GOAL := help
SHELL := /bin/bash

export UV_PYTHON_DOWNLOADS := never
# Install with compiled bytecode: Python never caches it where PYTHONDONTWRITEBYTECODE is set,
# and recompiling dbt, LightGBM and friends costs every command 1-2 s.
export UV_COMPILE_BYTECODE := 1
UV ?= $(shell command -v uv 2>/dev/null || echo .bootstrap/bin/uv)
C360 := $(UV) run --frozen c360
CUSTOMERS ?= 50000

.PHONY: help setup browser engines demo orchestrate test lint format bench clean

help: ## List the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-11s %s\n", $$1, $$2}'

.bootstrap/bin/uv:
	python3 -m venv .bootstrap
	.bootstrap/bin/pip install --quiet --disable-pip-version-check uv

# Every target shares one environment, the orchestrate extra (Dagster) included: the tests need
# it, and a narrower sync in one target would uninstall it for the next.
setup: $(UV) ## Create .venv with the locked dependencies (and the orchestrate extra)
	$(UV) sync --frozen --python python3 --extra orchestrate

browser: ## Install Debian's chromium for the browser tests (needs root or sudo)
	@command -v chromium >/dev/null 2>&1 || { \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq chromium; }

engines: $(UV) ## Install Debian's Java for Spark (root or sudo) and fakesnow's environment, for the engine parity tests
	@command -v java >/dev/null 2>&1 || { \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq default-jre-headless; }
	$(UV) sync --frozen --python python3 --project tests/transform/fakesnow

demo: setup ## Set up, generate the default portfolio and run the whole pipeline on it
	$(C360) demo --customers $(CUSTOMERS)

orchestrate: setup ## Set up and start Dagster (UI, schedules, landing sensor) on ./data
	$(C360) orchestrate

test: setup browser engines ## Set up and run the whole test suite
	$(UV) run --frozen pytest

lint: setup ## Check style with ruff
	$(UV) run --frozen ruff check .
	$(UV) run --frozen ruff format --check .

format: setup ## Format and autofix with ruff
	$(UV) run --frozen ruff format .
	$(UV) run --frozen ruff check --fix .

bench: setup ## Benchmark the stages at CUSTOMERS scale; update the tables in README.md and docs/benchmarks.md
	$(C360) bench --customers $(CUSTOMERS) --markdown README.md --markdown docs/benchmarks.md

clean: ## Remove the data directory and build leftovers
	rm -rf data transform/target transform/logs .pytest_cache
