# `make demo` and `make test` work on a fresh machine: each creates .venv first.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
SAMPLE_DB := examples/demo.duckdb

.PHONY: setup demo test lint bench clean

setup: $(BIN)/warta

# nlp-id ships the lemma dictionary and the POS corpus we use; it pins old versions of numpy, scipy and
# huggingface-hub that we never import, so it goes in without its dependencies.
$(BIN)/warta: pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	$(BIN)/pip install -q --no-deps nlp-id==0.1.23
	touch $(BIN)/warta

# Rich draws tables 80 columns wide when output is not a terminal; the demo reads better wider.
demo: setup
	rm -f $(SAMPLE_DB)
	$(BIN)/warta ingest examples/articles --db $(SAMPLE_DB)
	COLUMNS=$${COLUMNS:-150} $(BIN)/warta stories --db $(SAMPLE_DB)
	COLUMNS=$${COLUMNS:-150} $(BIN)/warta timeline --db $(SAMPLE_DB)
	COLUMNS=$${COLUMNS:-150} $(BIN)/warta dyads --db $(SAMPLE_DB)

test: setup
	$(BIN)/ruff check warta tests scripts benchmarks
	$(BIN)/pytest -q

bench: setup
	$(BIN)/python benchmarks/bench_pipeline.py

clean:
	rm -rf $(VENV) $(SAMPLE_DB) .pytest_cache
