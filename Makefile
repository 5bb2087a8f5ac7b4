# The course kit's commands. `make help` lists them; the README explains them.
# Every target that needs Python bootstraps the virtualenv (.venv) on first use.

SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV := .venv
BIN := $(CURDIR)/$(VENV)/bin
PY := $(BIN)/python
# nbgrader runs `alembic` as a subprocess when it creates a gradebook: the venv must be on PATH.
export PATH := $(BIN):$(PATH)
# Keep Jupyter's own state in the venv so the kit never touches ~/.jupyter.
export JUPYTER_CONFIG_DIR := $(CURDIR)/$(VENV)/etc/jupyter-user
export JUPYTER_PLATFORM_DIRS := 1

MODULE ?=
# Test workers: the suite is mostly waiting on kernels, so two processes on two cores.
TEST_WORKERS ?= 2
PYTEST_ARGS ?=

# The first python3.11+ found; override with `make PYTHON=/path/to/python3.12 ...`.
PYTHON ?= $(shell for p in python3.11 python3.12 python3.13 python3; do \
	if command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then \
	echo $$p; break; fi; done)

STAMP := $(VENV)/.installed

.PHONY: help lab grade progress plan reset test test-fast system-deps exercises quizzes start-page environment.yml bench venv clean-venv

help: ## list the commands
	@grep -E '^[a-zA-Z_.-]+:.*## ' $(MAKEFILE_LIST) | sed -E 's/:.*## /\t/' | awk -F'\t' '{printf "  make %-16s %s\n", $$1, $$2}'

$(STAMP): requirements.txt requirements-dev.txt pyproject.toml
	@if [ -z "$(PYTHON)" ]; then \
	  echo "The kit needs Python 3.11 or newer and none was found on PATH. Install Python 3.11 (for"; \
	  echo "example from your package manager or python.org), then run make again, or point make at"; \
	  echo "it with: make PYTHON=/path/to/python3.11 $(MAKECMDGOALS)"; exit 1; fi
	@echo "Setting up the kit's environment in $(VENV)/ with $(PYTHON) (first run only, about a minute)..."
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps -e .
	$(PY) -m autograder setup-jupyter
	@touch $@

venv: $(STAMP) ## set up the environment (every other target does this on first use)

lab: $(STAMP) ## open JupyterLab on the course's start page
	$(BIN)/jupyter lab --ServerApp.root_dir="$(CURDIR)" --LabApp.default_url=/lab/tree/course/start.ipynb \
	  $(if $(filter 0,$(shell id -u)),--allow-root) $(LAB_ARGS)

grade: $(STAMP) ## grade your saved exercises and quizzes (all that changed, or MODULE=c1w1 / c1w1-quiz; FORCE=1 grades all)
	$(PY) -m autograder grade $(MODULE) $(if $(FORCE),--force)

progress: $(STAMP) ## show your progress across the course
	$(PY) -m autograder progress --chart

plan: $(STAMP) ## your study plan: hours per module, 12 weeks, where you stand (START=YYYY-MM-DD sets its start)
	$(PY) -m autograder plan $(if $(START),--start $(START))

reset: $(STAMP) ## give you a fresh exercise notebook (MODULE=c1w1; a quiz, MODULE=c1w1-quiz, gets new numbers), keeping a backup of yours
	@if [ -z "$(MODULE)" ]; then echo "Say which module to reset, for example: make reset MODULE=c1w1"; exit 2; fi
	$(PY) -m autograder reset $(MODULE)

# The capstone's saved model behind the learner's own API (exercises/capstone/app.py), on 127.0.0.1.
PORT ?= 8000
CAPSTONE ?= exercises/capstone
.PHONY: serve
serve: $(STAMP) ## the capstone: serve your saved model with your API on http://127.0.0.1:$(PORT) (PORT=8000)
	@if [ ! -f "$(CAPSTONE)/model.skops" ]; then \
	  echo "There is no saved model to serve: $(CAPSTONE)/model.skops does not exist yet. Open"; \
	  echo "$(CAPSTONE)/capstone.ipynb, work through it up to step 7 (which saves the chosen pipeline with"; \
	  echo "skops.io.dump(model, 'model.skops')) and run it top to bottom; write $(CAPSTONE)/app.py (lesson"; \
	  echo "course/capstone/08 shows how); then run make serve again and open http://127.0.0.1:$(PORT)/docs."; \
	  exit 2; fi
	@echo "Serving $(CAPSTONE)/model.skops with $(CAPSTONE)/app.py on http://127.0.0.1:$(PORT) (docs: /docs; Ctrl-C stops)"
	cd $(CAPSTONE) && $(PY) -m uvicorn app:app --host 127.0.0.1 --port $(PORT)

# One BLAS and OpenMP thread per test process: two workers on two cores, and graded kernels alike.
# Tests that share one grading run (marked xdist_group) go to one worker; the rest are handed out
# in collection order, which tests/conftest.py sorts longest first.
PYTEST := OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 $(PY) -m pytest -n $(TEST_WORKERS) --dist loadgroup --no-loadscope-reorder

# system-deps comes first: a missing Chromium stops `make test` before the environment is built.
test: system-deps $(STAMP) ## run the whole test suite (installs Debian's chromium, postgresql, redis-server and npm first where it can)
	$(PYTEST) $(PYTEST_ARGS)

test-fast: $(STAMP) ## maintainers: the quick loop: tests not marked slow, and those marked fast (under 2 minutes)
	$(PYTEST) -m "not slow or fast" $(PYTEST_ARGS)

.PHONY: goldens
goldens: $(STAMP) ## maintainers: refresh tests/goldens/ (every check message); review the diff
	OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 $(PY) -m tests.checks.goldens --update

# What the tests need from the system: Debian's chromium for the browser test, installed with
# apt-get as root or with `sudo -n`; otherwise one paragraph says what to install, and make stops.
system-deps:
	@scripts/ensure-system-deps.sh cohort

exercises: $(STAMP) ## maintainers: regenerate exercises/ from solutions/ (MODULE=... for one)
	$(PY) -m autograder generate-exercises $(MODULE)

quizzes: $(STAMP) ## maintainers: write the quizzes from their banks, then their exercises (MODULE=c1w1 for one)
	$(PY) -m autograder.quiz build --exercises $(MODULE)

start-page: $(STAMP) ## maintainers: regenerate course/start.ipynb from the syllabus
	$(PY) -m autograder start-page

environment.yml: $(STAMP) ## maintainers: regenerate environment.yml from requirements.txt
	$(PY) -m autograder environment-yml

# The Grade button's JupyterLab extension: its source is labextension/, its built output
# autograder/labextension/ (committed, so learners and Binder need no Node.js).
.PHONY: labextension
labextension: $(STAMP) ## maintainers: rebuild the Grade button's JupyterLab extension (needs Node.js 20+ and npm)
	cd labextension && npm ci --no-audit --no-fund && npm run build
	$(PY) -c 'from autograder import jupyter_setup; print("wrote", jupyter_setup.write_source_stamp())'
	$(PY) -m autograder setup-jupyter

bench: $(STAMP) ## maintainers: measure feedback and grading times; rewrites BENCHMARKS.md
	$(PY) bench/run.py

clean-venv: ## delete the virtualenv (your notebooks and grades are kept)
	rm -rf $(VENV)

# Cohort mode (issue 14; README "For instructors"): Postgres, Redis, Celery workers, JupyterHub
# and nbgrader's exchange on this machine, 127.0.0.1 only. WORKERS=N (default: one per core),
# MODULES="c1w1 c1w1-quiz" releases only those; COHORT_ARGS passes more (--hub-port 8810, ...).
WORKERS ?=
MODULES ?=
COHORT_ARGS ?=
.PHONY: cohort cohort-stop
cohort: $(STAMP) ## instructors: start a cohort (JupyterHub, exchange, Postgres, Redis, grading workers) on this machine
	@scripts/ensure-system-deps.sh cohort
	$(PY) -m autograder cohort up $(MODULES) $(if $(WORKERS),--workers $(WORKERS)) $(COHORT_ARGS)

cohort-stop: $(STAMP) ## instructors: stop the cohort's services (its state is kept in .cohort/state)
	$(PY) -m autograder cohort down
