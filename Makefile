# Two commands for a newcomer: `make run` and `make test`. Everything else is what they use.
VENV   ?= .venv
PY     := $(VENV)/bin/python
FLASK  := $(VENV)/bin/flask --app cascade
STAMP  := $(VENV)/.installed
HOST   ?= 127.0.0.1
PORT   ?= 5000

.PHONY: prepare run dev test lint bench load tools clean

$(STAMP): pyproject.toml
	python3 -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -e '.[test]'
	touch $(STAMP)

tools:  ## Graphviz's dot for the graph, Chromium for browser tests, wrk for the load benchmark (Debian packages)
	@scripts/ensure-tools.sh

instance/config.py:
	@mkdir -p instance
	@$(PY) -c "import secrets; print(f'SECRET_KEY = {secrets.token_hex(32)!r}')" > $@
	@echo "# make run serves plain http on 127.0.0.1; behind HTTPS set both to True" >> $@
	@echo "SESSION_COOKIE_SECURE = False" >> $@
	@echo "REMEMBER_COOKIE_SECURE = False" >> $@
	@echo "# several gunicorn workers share the SQLite file: readers need not wait for a writer" >> $@
	@echo "SQLITE_JOURNAL_MODE = 'wal'" >> $@
	@echo "wrote $@ with a fresh SECRET_KEY"

prepare: $(STAMP) instance/config.py
	@DOT_ONLY=1 scripts/ensure-tools.sh
	$(FLASK) db upgrade
	$(FLASK) demo --if-empty

run: prepare  ## gunicorn, sized for the machine (cascade/serving/gunicorn.py)
	@echo "Cascade is at http://$(HOST):$(PORT)/"
	$(VENV)/bin/gunicorn -c python:cascade.serving.gunicorn --bind $(HOST):$(PORT) 'cascade:create_app()'

dev: prepare  ## Flask's development server: reloads on every change, shows tracebacks
	@echo "Cascade (development) is at http://$(HOST):$(PORT)/"
	$(FLASK) --debug run --host $(HOST) --port $(PORT)

lint: $(STAMP)
	$(VENV)/bin/ruff check cascade tests scripts benchmarks

test: $(STAMP) tools lint
	$(VENV)/bin/python -m pytest $(PYTEST_ARGS)

bench: $(STAMP) tools
	$(PY) -m benchmarks

load: $(STAMP)  ## gunicorn under wrk on the loopback (benchmarks/load.py; LOAD_SECONDS, LOAD_CASES)
	@command -v wrk >/dev/null || { echo "installing wrk"; apt-get install -y -qq wrk >/dev/null; }
	$(PY) -c "import benchmarks.load as load; load.run()"

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis
