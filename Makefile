# Two commands on a fresh machine: `make run` and `make test`. Each sets itself up.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
LOCALES := locales
MO_FILES := $(patsubst %.po,%.mo,$(wildcard $(LOCALES)/*/LC_MESSAGES/*.po))
EMULATOR := tests/emulator

.PHONY: run test lint typecheck pytest eval bench catalogs extract setup clean emulator node

setup: $(STAMP) catalogs

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV) || python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev]' --config-settings editable_mode=compat
	@touch $(STAMP)

catalogs: $(STAMP) $(MO_FILES)

$(LOCALES)/%.mo: $(LOCALES)/%.po
	$(VENV)/bin/pybabel compile -i $< -o $@ --statistics

# Re-extract the message template after changing user-facing strings, then update catalogs.
extract: $(STAMP)
	$(VENV)/bin/pybabel extract -F babel.cfg -k N_ -k NP_:1,2 -k NC_:1c,2 --no-location --sort-output \
		-o $(LOCALES)/messages.pot bot
	$(VENV)/bin/pybabel update -i $(LOCALES)/messages.pot -d $(LOCALES) --no-fuzzy-matching --ignore-obsolete

emulator: node $(EMULATOR)/node_modules/.installed

# Node.js is a stated prerequisite of the Telegram emulator tests: say so in one line.
node:
	@command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 || \
		{ echo "make: Node.js (node and npm, version 18 or newer) is required for the Telegram emulator tests; install it and run make test again" >&2; exit 1; }

$(EMULATOR)/node_modules/.installed: $(EMULATOR)/package.json $(wildcard $(EMULATOR)/package-lock.json)
	cd $(EMULATOR) && (npm ci --no-audit --no-fund || npm install --no-audit --no-fund)
	@touch $@

run: setup
	$(VENV)/bin/helpline run

lint: $(STAMP)
	$(VENV)/bin/ruff check bot storage tests bench
	$(VENV)/bin/ruff format --check bot storage tests bench

typecheck: $(STAMP)
	$(VENV)/bin/mypy

pytest: setup emulator
	$(PY) -m pytest -q

test: node lint typecheck pytest

eval: setup
	$(PY) -m bot.classify.evaluate

bench: setup
	$(PY) bench/classify.py
	@for b in bench/*.py; do [ "$$b" = bench/classify.py ] || $(PY) $$b; done

clean:
	rm -rf $(VENV) var $(LOCALES)/*/LC_MESSAGES/*.mo $(EMULATOR)/node_modules
