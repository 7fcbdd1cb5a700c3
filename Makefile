# Two commands a newcomer needs: `make run` and `make test`. Both create .venv in the repository root.
# constraints.txt pins every package to the versions the shipped cleaner model was trained with (so that
# `sito train` rebuilds it byte for byte, and CI sees the same conversions of the dev pages).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
EXAMPLE := examples/pl_news_scraped.txt
OUT := out/example

.PHONY: run test install install-test clean-out

$(VENV)/.installed: pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(PIP) install -q --upgrade pip
	$(PIP) install -q -c constraints.txt -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed pyproject.toml constraints.txt
	$(PIP) install -q -c constraints.txt -e '.[test]'
	bash scripts/install-system-deps.sh
	touch $@

install: $(VENV)/.installed

install-test: $(VENV)/.installed-test

run: install
	rm -rf $(OUT)
	$(VENV)/bin/sito clean $(EXAMPLE) -o $(OUT) --explain-raw
	@echo
	@echo "Clean article: $(OUT)/kept/  (records with title, lead, captions, credits, related, line roles)"
	@echo "Run summary:   $(OUT)/stats.json"

test: install-test
	$(PY) -m pytest -q

clean-out:
	rm -rf out
