# Two commands matter: `make run` (the site with demo content) and `make test` (the whole suite).
# Everything else is a step they depend on.

PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
CMS_PORT ?= 8000
FRONTEND_PORT ?= 5000
export CMS_URL ?= http://localhost:$(CMS_PORT)
export FRONTEND_URL ?= http://localhost:$(FRONTEND_PORT)
POSTGRES_URL ?= postgres://postgres@127.0.0.1:5432/test
REPORT_DIR ?= reports/a11y
SITE_CSS := var/frontend-assets/site.css

.PHONY: run test test-postgres audit lint bench install browser css clean

## make run: install, migrate, load the demo content, ensure an admin user, start CMS and frontend.
run: install
	$(BIN)/python manage.py migrate --noinput
	@# The frontend is not running yet, so there are no cached pages to revalidate.
	REVALIDATE_SECRET= $(BIN)/python manage.py load_demo_content
	$(BIN)/python manage.py ensure_admin
	@# The worker audits the whole site (the accessibility statement is generated from it) and
	@# checks the PDFs not checked yet.
	$(BIN)/python manage.py queue_site_audit --unless-audited
	$(BIN)/python manage.py queue_document_checks
	@echo ""
	@echo "  CMS admin: $(CMS_URL)/admin/"
	@echo "  API:       $(CMS_URL)/api/v3/"
	@echo "  Frontend:  $(FRONTEND_URL)/serious-case-reviews/"
	@echo "  Press Ctrl-C to stop everything."
	@echo ""
	@# Secrets made at random once per checkout (var/secrets/), unless set in the environment;
	@# the CMS and the frontend share the revalidation one.
	REVALIDATE_SECRET="$${REVALIDATE_SECRET:-$$($(BIN)/python -m cms.dev_secrets revalidate-secret)}" \
		CMS_PORT=$(CMS_PORT) FRONTEND_PORT=$(FRONTEND_PORT) $(BIN)/honcho -f Procfile start

## make test: install what is missing, then run the whole suite (SQLite, real browser).
test: install browser lint
	$(BIN)/pytest

## The Django suites against PostgreSQL (the production database).
test-postgres: install
	DATABASE_URL=$(POSTGRES_URL) $(BIN)/pytest tests/cms tests/pages tests/api tests/audits

## Audit the site started by `make run` (run it in another terminal first).
audit: install
	$(BIN)/python -m a11y_tests --cms-url $(CMS_URL) --frontend-url $(FRONTEND_URL) --report-dir $(REPORT_DIR)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

bench: install browser
	$(BIN)/python bench/api.py
	$(BIN)/python bench/frontend.py
	$(BIN)/python bench/audit.py

install: $(VENV)/.installed $(SITE_CSS)

$(VENV)/.installed: requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.lock
	$(BIN)/pip install --quiet --no-deps -e .
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

## The site's stylesheet, built from GOV.UK Frontend's Sass (restart the frontend to serve a new one).
$(SITE_CSS): node_modules/.installed frontend/styles/site.scss
	npm run build:css

css: node_modules/.installed
	npm run build:css

## The audit needs Debian's Chromium and ChromeDriver, and its Selenium Grid tests Debian's Java
## (the Selenium Server jar comes from npm); nothing downloads a browser at run time.
browser:
	@if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ] || ! command -v java >/dev/null; then \
		if [ "$$(id -u)" = 0 ]; then \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver default-jre-headless; \
		else \
			echo "Install Chromium, ChromeDriver and Java: sudo apt-get install chromium chromium-driver default-jre-headless"; exit 2; \
		fi; \
	fi

clean:
	rm -rf $(VENV) node_modules var reports db.sqlite3
