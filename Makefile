# fundscope: `make demo` and `make test` set everything up from a bare Python.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
DATA   ?= data/demo
export PREFECT_SERVER_ANALYTICS_ENABLED ?= false
export PREFECT_HOME ?= $(CURDIR)/.prefect

.PHONY: demo test bench eval eval-ml eval-real clean browser

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/fundscope ingest corpus/samples --data $(DATA)
	$(BIN)/fundscope query "select kind, count(*) as documents, sum(n_pages) as pages from documents group by kind order by kind" --data $(DATA)
	$(BIN)/fundscope query --file corpus/demo_query.sql --data $(DATA)
	$(BIN)/fundscope query --file corpus/demo_flows.sql --data $(DATA)

# the report's browser tests need Debian's Chromium; without root or apt they are skipped, saying why
NO_BROWSER = apt-get install -y chromium failed (needs root on Debian/Ubuntu); install Chromium and re-run

browser:
	@command -v chromium >/dev/null 2>&1 || (apt-get install -y chromium >/dev/null 2>&1 || \
	  (apt-get update >/dev/null 2>&1 && apt-get install -y chromium >/dev/null 2>&1)) || \
	  echo "chromium not installed: $(NO_BROWSER)"

# two test processes: many tests wait on subprocesses and servers, and the two cores stay busy
TEST_WORKERS ?= 2
test: $(STAMP) browser
	FUNDSCOPE_NO_BROWSER="$$(command -v chromium >/dev/null 2>&1 || echo '$(NO_BROWSER)')" $(BIN)/python -m pytest -q -n $(TEST_WORKERS)

bench: $(STAMP)
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) data .prefect

eval: $(STAMP)
	$(BIN)/python -m flows.evaluate
	$(BIN)/python -m flows.evaluate_multilingual

# the multilingual test split alone, per language (OUT=FILE.json also writes the figures;
# ML_DIR=corpus/labelled/dev_multilingual scores the development split instead)
ML_DIR ?=
eval-ml: $(STAMP)
	$(BIN)/python -m flows.evaluate_multilingual $(if $(ML_DIR),--dir $(ML_DIR)) $(if $(OUT),--out $(OUT))

# real public pages: TEXTS=DIR scores saved <id>.txt excerpts, without it the URLs are ingested (internet)
TEXTS ?=
SPLIT ?= dev
OUT ?=
eval-real: $(STAMP)
	$(BIN)/python -m flows.evaluate_real $(if $(TEXTS),--texts $(TEXTS),--fetch) --split $(SPLIT) $(if $(FACTS_GROUP),--facts-group $(FACTS_GROUP)) $(if $(OUT),--out $(OUT))
