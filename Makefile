# stacklab: every target is one line that calls the runner (tools/stack.ts) or the tests.
# `make` alone lists them.
.DEFAULT_GOAL := help
SHELL := /bin/bash
STACK_CLI := node --import tsx tools/stack.ts
SERVICE ?=

.PHONY: help up down ps logs reload restart stop db-shell reset inspect inspect-web test lint typecheck check hint solution doctor bench
COURSE_CLI := node --import tsx tools/course/cli.ts

# `make check 3` / `make hint 3`: the number after the target is the exercise, not another target.
ifneq (,$(filter $(firstword $(MAKECMDGOALS)),check hint solution))
  EXERCISE := $(word 2,$(MAKECMDGOALS))
  ifneq (,$(EXERCISE))
    $(eval $(EXERCISE):;@:)
  endif
endif

help: ## List the targets
	@echo "stacklab: a real web stack (nginx -> Koa app -> MariaDB/MySQL) to learn the backend."
	@echo
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN { FS = ":.*## " } { printf "  make %-12s %s\n", $$1, $$2 }'
	@echo
	@echo "Options: SERVICE=app|nginx|mysql (logs, restart, stop), STACK=docker|native (force a runner), MODE=prod (up), FORCE=1 (reset, solution), ID=<request id> (inspect)"

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

stop: deps ## Stop one service (SERVICE=app|nginx|mysql) and leave the others running; make up starts it again
	@$(STACK_CLI) stop $(SERVICE)

db-shell: deps ## Open a SQL shell on the database as the app's user
	@$(STACK_CLI) db-shell

reset: deps ## Delete all data (users, sessions, logs) after asking
	@$(STACK_CLI) reset

check: deps ## Check the exercises in docs/ against the running stack; make check 3 for one, with reasons
	@# "not yet" (exit 1) is an answer, not a failure of make; a stack that cannot be reached (2) is.
	@$(COURSE_CLI) check $(EXERCISE) || [ $$? -eq 1 ]

hint: deps ## Show the next hint of an exercise: make hint 3
	@$(COURSE_CLI) hint $(EXERCISE)

solution: deps ## Show the reference solution of an exercise (asks first): make solution 3
	@$(COURSE_CLI) solution $(EXERCISE)

doctor: deps ## Explain why the stack cannot be reached: which service is down, port taken, migrations pending
	@$(COURSE_CLI) doctor

inspect: deps ## Every request hop by hop, live; ID=<request id> for one in full; FILTER_PATH=, FILTER_STATUS=, FILTER_METHOD=
	@node --import tsx tools/inspector/cli.ts

inspect-web: deps ## The request inspector as a web page on http://127.0.0.1:8090 (INSPECTOR_PORT), until Ctrl-C
	@node --import tsx tools/inspector/web.ts

test: deps ## Run every test: unit tests, then a throwaway stack on free ports (never yours)
	@node --import tsx tests/run.ts

test-faults: deps ## Break the stack under load (kills, restarts, slow clients, bad input) and check nothing acknowledged is lost
	@SUITE=faults node --import tsx tests/run.ts

bench: deps ## Measure each layer's speed on a throwaway stack (SHORT=1: a few seconds per step); see docs/performance.md
	@$(if $(SHORT),BENCH_SHORT=$(SHORT) )node --import tsx tools/bench/cli.ts

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
