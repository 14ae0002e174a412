# `make run` and `make test` work on a fresh machine: they install into .venv first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml sdk/python/pyproject.toml | sha1sum | cut -c1-12)

.PHONY: install run test test-all lint typecheck openapi sdk-python bench clean

$(STAMP): pyproject.toml sdk/python/pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	$(BIN)/python -m pip install --quiet -e sdk/python
	@rm -f $(VENV)/.installed-*
	@touch $(STAMP)

install: $(STAMP) dashboard-assets apidocs-assets

# The browser packages (the dashboard's htmx and Chart.js; Swagger UI and Redoc for /docs and
# /redoc) come from the npm registry into gitignored static/vendor folders; `install` (so
# `run` and `test`) builds them. Node.js and npm are needed for that, once.
NPM_CHECK = command -v npm >/dev/null 2>&1 || { echo "make: Node.js and npm are needed to build the dashboard's and the API docs' scripts (Debian: apt-get install nodejs npm)" >&2; exit 1; }
DASHBOARD_ASSETS := dashboard/assets
APIDOCS_ASSETS := core/apidocs/assets
.PHONY: dashboard-assets apidocs-assets screenshots
dashboard-assets: dashboard/static/vendor/.built
dashboard/static/vendor/.built: $(DASHBOARD_ASSETS)/package.json $(DASHBOARD_ASSETS)/package-lock.json $(DASHBOARD_ASSETS)/build.mjs
	@$(NPM_CHECK)
	cd $(DASHBOARD_ASSETS) && npm ci --silent && npm run --silent build
	@touch $@
apidocs-assets: core/apidocs/static/vendor/.built
core/apidocs/static/vendor/.built: $(APIDOCS_ASSETS)/package.json $(APIDOCS_ASSETS)/package-lock.json $(APIDOCS_ASSETS)/build.mjs
	@$(NPM_CHECK)
	cd $(APIDOCS_ASSETS) && npm ci --silent && npm run --silent build
	@touch $@

# Regenerates docs/img/dashboard-*.png with the Playwright setup of the dashboard's tests
# (the whole browser suite runs first, so the pages show a key, a webhook, a sync).
screenshots: install
	HUBWIRE_SCREENSHOTS=docs/img $(BIN)/pytest -q tests/dashboard/test_browser.py

# The demo may send webhooks to receivers on this machine (the SSRF guard refuses loopback
# unless the operator allows it), and mounts the connectors' sandboxes to connect to.
run: install
	HUBWIRE_SANDBOXES="$${HUBWIRE_SANDBOXES:-true}" \
	HUBWIRE_SANDBOX_STATE_DIR="$${HUBWIRE_SANDBOX_STATE_DIR:-var/sandboxes}" \
	HUBWIRE_WEBHOOK_ALLOWED_NETWORKS="$${HUBWIRE_WEBHOOK_ALLOWED_NETWORKS:-[\"127.0.0.0/8\",\"::1/128\"]}" \
		$(BIN)/hubwire serve --demo

# ruff, the import contracts (docs/architecture.md), and the generated Python SDK files
# being what `make sdk-python` writes today.
lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache
	$(BIN)/python sdk/python/generate.py --check

typecheck: install
	$(BIN)/mypy

# The suite runs in TEST_WORKERS processes (pytest-xdist). Each worker has its own SQLite file,
# PostgreSQL database and Redis prefix; most tests wait on servers and sockets, so more workers
# than cores pay. `make test TEST_WORKERS=0` runs it in one process.
TEST_WORKERS ?= 4
test: lint typecheck
	$(BIN)/pytest -n $(TEST_WORKERS)

# Every variant, against PostgreSQL, Redis and RabbitMQ on their default local ports (what
# .ci/run sets); a variable already set wins.
test-all:
	HUBWIRE_TEST_POSTGRES_URL="$${HUBWIRE_TEST_POSTGRES_URL:-postgresql://postgres@127.0.0.1:5432/test}" \
	HUBWIRE_TEST_REDIS_URL="$${HUBWIRE_TEST_REDIS_URL:-redis://127.0.0.1:6379/0}" \
	HUBWIRE_TEST_AMQP_URL="$${HUBWIRE_TEST_AMQP_URL:-amqp://guest:guest@127.0.0.1:5672//}" \
		$(MAKE) test

# The spec and everything generated from it, in one command.
openapi: install
	$(BIN)/hubwire openapi export sdk/openapi.json
	$(BIN)/python sdk/python/generate.py
	cd sdk/typescript && (test -d node_modules || npm ci) && npm run generate

# Regenerates the Python SDK's generated files: hubwire._generated from sdk/openapi.json and
# hubwire/_async_resources.py from hubwire/_resources.py (sdk/python/unasync.py).
sdk-python: install
	$(BIN)/python sdk/python/generate.py

# Regenerates the TypeScript SDK's generated half (sdk/typescript/src/generated) from
# sdk/openapi.json with @hey-api/openapi-ts (`make openapi` does this too).
.PHONY: sdk-typescript
sdk-typescript:
	cd sdk/typescript && npm ci && npm run generate

bench: install
	$(BIN)/python bench/api_overhead.py

bench-webhooks: install
	$(BIN)/python bench/webhook_throughput.py

bench-sync: install
	$(BIN)/python bench/sync_throughput.py

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
