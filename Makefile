# stacklab: every target is one line that calls the runner (tools/stack.ts) or the tests.
# `make` alone lists them.
.DEFAULT_GOAL := help
SHELL := /bin/bash
STACK_CLI := node --import tsx tools/stack.ts
SERVICE ?=

.PHONY: help up down ps logs reload restart db-shell reset test lint typecheck

help: ## List the targets
	@echo "stacklab: a real web stack (nginx -> Koa app -> MariaDB/MySQL) to learn the backend."
	@echo
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed -E 's/^([a-z-]+):.*## (.*)/  make \1|\2/' | column -t -s '|'
	@echo
	@echo "Options: SERVICE=app|nginx|mysql (logs, restart), STACK=native (force a runner), FORCE=1 (reset)"

up: deps ## Start the stack (creates .env with fresh secrets on first run), then print the URL
	@$(STACK_CLI) up

down: deps ## Stop everything the stack started (data is kept)
	@$(STACK_CLI) down

ps: deps ## Show which services run, with their pids and addresses
	@$(STACK_CLI) ps

logs: deps ## Show the logs (follows them in a terminal); SERVICE=app|nginx|mysql for one
	@$(STACK_CLI) logs $(SERVICE)

reload: deps ## Test the nginx config in nginx/ and reload it; a broken config is refused
	@$(STACK_CLI) reload

restart: deps ## Restart one service (SERVICE=app|nginx|mysql) or all; the app is rebuilt first
	@$(STACK_CLI) restart $(SERVICE)

db-shell: deps ## Open a SQL shell on the database as the app's user
	@$(STACK_CLI) db-shell

reset: deps ## Delete all data (users, sessions, logs) after asking
	@$(STACK_CLI) reset

test: deps ## Run every test: unit tests, then a throwaway stack on free ports (never yours)
	@node --import tsx tests/run.ts

typecheck: deps ## Type-check the app, the tools and the tests
	@npx tsc -p tsconfig.json && npm --prefix app run --silent typecheck

lint: deps ## Lint all TypeScript
	@npx eslint .

# Dependencies are installed (exactly as locked) when missing or when the lock file changed.
.PHONY: deps
deps: node_modules/.package-lock.json app/node_modules/.package-lock.json

node_modules/.package-lock.json: package-lock.json
	@echo "Installing the tools' dependencies (npm ci)…"
	@npm ci --no-audit --no-fund --loglevel=error
	@touch $@

app/node_modules/.package-lock.json: app/package-lock.json
	@echo "Installing the app's dependencies (npm ci)…"
	@npm --prefix app ci --no-audit --no-fund --loglevel=error
	@touch $@
