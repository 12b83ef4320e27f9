# newsweave: two commands do all the set-up on a fresh machine.
#   make demo   creates .venv, installs newsweave with its models, runs the main job on examples/
#   make test   installs the dev extras (and Debian's chromium and postgresql for the tests), runs ruff, mypy, pytest
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
NW := $(VENV)/bin/newsweave
DEMO_DB ?= .demo/demo.duckdb
LINT_PATHS := $(wildcard src tests benchmarks scripts)
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export PYSPARK_PYTHON := $(abspath $(PY))
export SPARK_LOCAL_IP := 127.0.0.1

.PHONY: demo test install install-dev chromium postgresql lint typecheck pytest bench clean

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

# pip is upgraded first: an old pip skips trafilatura's lxml[html_clean] extra.
$(VENV)/.installed: pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e '.[embed]'
	touch $@

$(VENV)/.installed-dev: pyproject.toml $(VENV)/.installed
	$(PY) -m pip install --quiet -e '.[embed,dev,spark]'
	touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

# Debian's chromium for the one real-browser test (Playwright's own browser download fails offline).
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null); \
	  else echo "chromium missing: install Debian's chromium package (sudo apt-get install chromium)"; fi; }

# Debian's PostgreSQL server for the store tests on the postgresql backend (tests/pgserver.py starts a
# throwaway one per test session; the package's own cluster is not used).
postgresql:
	@ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || command -v initdb >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null); \
	  else echo "postgresql missing: install Debian's postgresql package (sudo apt-get install postgresql)"; fi; }

demo: install
	@rm -f $(DEMO_DB) $(DEMO_DB).wal
	@mkdir -p $(dir $(DEMO_DB))
	$(NW) add examples/corpus --db $(DEMO_DB) || test $$? -eq 1
	$(NW) stories --db $(DEMO_DB)
	@story=$$($(NW) stories --db $(DEMO_DB) --json | $(PY) -c \
	  'import json,sys; print(max(json.load(sys.stdin), key=lambda s: len(s["article_ids"]))["id"])'); \
	  echo "== The comparison of the largest story ($$story)"; \
	  $(NW) report --db $(DEMO_DB) $$story && \
	  $(NW) report --db $(DEMO_DB) $$story --html .demo/report.html && \
	  echo "HTML report: .demo/report.html"
	@echo "Web app: $(NW) serve --db $(DEMO_DB)   then open http://127.0.0.1:8000/"

lint: install-dev
	$(VENV)/bin/ruff check $(LINT_PATHS)
	$(VENV)/bin/ruff format --check $(LINT_PATHS)

typecheck: install-dev
	$(VENV)/bin/mypy

pytest: install-dev chromium postgresql
	$(VENV)/bin/pytest -q

test: lint typecheck pytest

# every stage's benchmark in one run (a 14-minute budget), the table written to docs/performance.md
bench: install-dev
	$(PY) benchmarks/run_all.py

clean:
	rm -rf $(VENV) .demo .pytest_cache .mypy_cache .ruff_cache
