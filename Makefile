# wirecall: `make demo` to see it work, `make test` to run the whole suite.
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
TOOLS := .tools
NEWMAN := $(TOOLS)/node_modules/.bin/newman
NEWMAN_VERSION := 6.2.2
export NO_PROXY := 127.0.0.1,localhost
export no_proxy := 127.0.0.1,localhost
export GRPC_VERBOSITY := ERROR

.PHONY: help demo test conformance bench lint deps system-deps newman

help:
	@echo "make demo         install, start the local demo servers, run docs/examples"
	@echo "make test         install everything the tests need and run the whole suite"
	@echo "make conformance  run the Newman conformance collections and print matched/total"
	@echo "make bench        benchmarks side by side with Newman and raw clients (BENCH_ARGS=--quick)"

$(STAMP): pyproject.toml setup.py
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test]'
	touch $(STAMP)

deps: $(STAMP)

system-deps:
	@{ test -x /usr/sbin/mosquitto || command -v mosquitto; } >/dev/null 2>&1 && command -v mosquitto_sub >/dev/null 2>&1 || \
	  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends mosquitto mosquitto-clients; }

newman: $(NEWMAN)
$(NEWMAN):
	mkdir -p $(TOOLS)
	npm install --prefix $(TOOLS) --no-audit --no-fund --silent newman@$(NEWMAN_VERSION)

demo: $(STAMP)
	$(VENV)/bin/wirecall demo docs/examples/demo.postman_collection.json
	$(VENV)/bin/wirecall demo docs/examples/multi-protocol.postman_collection.json

test: $(STAMP) system-deps $(NEWMAN)
	$(PY) -m pytest -n 2 -q

conformance: $(STAMP) $(NEWMAN)
	$(PY) -m tests.conformance.report

# Byte-compiled first, as pip does when it installs a wheel: with PYTHONDONTWRITEBYTECODE set
# (as on the project's VMs) an editable install otherwise compiles every wirecall module
# from source in every process, ~90 ms of CPU of a one-request run.
bench: $(STAMP) system-deps $(NEWMAN)
	$(PY) -m compileall -q core plugins cli
	$(PY) -m tests.bench $(BENCH_ARGS)

lint: $(STAMP)
	$(PY) -m ruff check core plugins cli tests
