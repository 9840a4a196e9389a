# handpress: the two commands of the README.
#   make demo   set everything up and build the sample publication into out/
#   make test   set everything up (with test tools) and run the whole suite, audits included
# Every step is idempotent: it does nothing when its result is already there.

SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
APT_PACKAGES := chromium default-jre-headless poppler-utils fonts-dejavu-core fonts-noto-core fonts-noto-cjk \
  fonts-noto-color-emoji
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
export PUPPETEER_SKIP_DOWNLOAD := 1
export PUPPETEER_SKIP_CHROMIUM_DOWNLOAD := 1

.PHONY: demo test setup system node python clean

demo: setup
	$(VENV)/bin/handpress build --project .
	@echo
	@echo "Built the sample publication into out/:"
	@echo "  out/index.html            graphical site (Text & Graphics)"
	@echo "  out/text/index.html       text-only site"
	@echo "  out/print/index.html      printer-friendly pages"
	@echo "  out/pdf/                  PDF briefing handbooks"
	@echo "Serve it with: $(VENV)/bin/handpress serve"

test: setup
	$(PY) -m pytest -q --handpress-audit

setup: system node python

# Debian packages: Chromium (pa11y, screenshots), a JRE (Nu HTML Checker), poppler (PDF inspection), fonts.
system:
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian packages:$$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$missing; \
	fi

# npm packages pinned in package-lock.json (pa11y, vnu-jar); puppeteer never downloads a browser.
node: node_modules/.stamp

node_modules/.stamp: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# The virtual environment with handpress (editable) and its test tools. handpress's own modules are
# compiled each time (only the changed ones are): an editable install leaves that to the first run,
# which cannot write it where PYTHONDONTWRITEBYTECODE is set, so every command compiled them again.
python: $(VENV)/.stamp
	@$(PY) -m compileall -q src/handpress

$(VENV)/.stamp: pyproject.toml
	[ -x $(PY) ] || python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test]'
	touch $@

clean:
	rm -rf out .handpress-cache
