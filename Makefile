# Two commands do all set-up on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp

.PHONY: demo test test-faketime lint bench clean venv

venv: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	$(VENV)/bin/stridewise demo --report stridewise-demo-report.html

test: $(STAMP)
	$(PY) -m pytest -q -n 2 --dist loadfile

# The suite (without browser and PostgreSQL tests, and without the demo-at-every-date tests,
# which run faketime themselves) with the whole process moved in time by libfaketime: nothing
# may read the machine's clock except stridewise.clock. Two dates: a year end and a leap day.
FAKETIME_SUITE = -m "not browser and not postgres" --ignore=tests/dates -p no:cacheprovider -q -n 2 --dist loadfile
test-faketime: $(STAMP)
	TZ=UTC FAKETIME_DONT_FAKE_MONOTONIC=0 faketime '2026-12-31 23:30:00' $(PY) -m pytest $(FAKETIME_SUITE)
	TZ=America/Los_Angeles FAKETIME_DONT_FAKE_MONOTONIC=0 faketime '2028-02-29 12:00:00' $(PY) -m pytest $(FAKETIME_SUITE)

lint: $(STAMP)
	$(VENV)/bin/ruff check src tests bench
	$(VENV)/bin/mypy src/stridewise

bench: $(STAMP)
	-$(PY) -m pip install --quiet pyroparse
	$(PY) -m bench

clean:
	rm -rf $(VENV) build dist *.egg-info stridewise-demo-report.html
