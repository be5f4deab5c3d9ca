# The two commands a newcomer needs: `make run` and `make test`. Everything else is what they call.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
# Links in mails and PDFs point where `make run` serves (maasland/settings.py: PORTAL_BASE_URL).
PORTAL_BASE_URL ?= http://127.0.0.1:$(PORT)
PYTEST_ARGS ?=

.PHONY: run test setup secret-key lint format lock messages clean bench
BENCH_ARGS ?= --database sqlite --database postgres
RUSH_ARGS ?= --applicants 300
TOPOLOGY_ARGS ?= --applicants 300 --letters 100
THROUGHPUT_ARGS ?=
QUERIES_ARGS ?=

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# The locked packages are installed by uv (from PyPI, as pip): it fetches and unpacks them in parallel, in seconds
# where pip takes half a minute, and writes no compiled modules (Python writes them on first import).
UV_VERSION := 0.13.9
$(VENV)/.installed: requirements.lock build-constraints.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check "uv==$(UV_VERSION)"
	$(BIN)/uv pip install --quiet --python $(BIN)/python --build-constraints build-constraints.txt -r requirements.lock
	touch $@

.env:
	cp .env.example .env

# Each checkout gets its own random SECRET_KEY in .env, written once, before anything reads the settings (they hold
# no fallback key). An older .env without a key gets one too.
secret-key: .env
	@$(PYTHON) scripts/write_secret_key.py .env

# The Dutch translations are compiled when their source changed.
MESSAGES := locale/nl/LC_MESSAGES/django.mo
$(MESSAGES): locale/nl/LC_MESSAGES/django.po $(VENV)/.installed | secret-key
	$(BIN)/python manage.py compilemessages --ignore=.venv --ignore=var -v0

setup: $(VENV)/.installed secret-key $(MESSAGES)
	@$(BIN)/python scripts/check_system.py
	@mkdir -p var

run: setup
	$(BIN)/python manage.py migrate --noinput -v0
	PORTAL_BASE_URL=$(PORTAL_BASE_URL) $(BIN)/python manage.py load_demo
	PORTAL_BASE_URL=$(PORTAL_BASE_URL) $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

test: setup lint
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint:
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format:
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

messages:
	$(BIN)/python manage.py makemessages -l nl --ignore=.venv --ignore=var --ignore=tests --no-obsolete

lock:
	rm -rf /tmp/maasland-lock && $(PYTHON) -m venv /tmp/maasland-lock
	/tmp/maasland-lock/bin/python -m pip install --quiet --upgrade "pip==26.3"
	/tmp/maasland-lock/bin/python -m pip install --quiet --build-constraint build-constraints.txt -r requirements.in
	{ echo "# Locked versions of every package (pip freeze of a venv built from requirements.in)."; \
	  echo "# Update: make lock. Installed by make setup with build-constraints.txt."; \
	  /tmp/maasland-lock/bin/python -m pip freeze; } > requirements.lock

bench: setup
	$(BIN)/python bench/rush.py $(RUSH_ARGS)
	$(BIN)/python bench/topology.py $(TOPOLOGY_ARGS)
	$(BIN)/python bench/throughput.py $(THROUGHPUT_ARGS)
	$(BIN)/python bench/queries.py $(QUERIES_ARGS)
	DJANGO_SETTINGS_MODULE=maasland.settings $(BIN)/python bench/ranking.py $(BENCH_ARGS)
	DJANGO_SETTINGS_MODULE=maasland.settings $(BIN)/python bench/letters.py
	DJANGO_SETTINGS_MODULE=maasland.settings $(BIN)/python bench/report.py
	$(BIN)/python bench/hostile_files.py
	DJANGO_SETTINGS_MODULE=maasland.settings $(BIN)/python bench/assignment.py

clean:
	rm -rf $(VENV) staticfiles test-artifacts
