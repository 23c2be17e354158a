# stacklab: every target is one line. The ones a learner uses call tools/stacklab.sh, which needs
# only a POSIX shell (and Docker, or Node.js for the native runner); the developers' targets (test,
# bench, typecheck, lint) run the tools on Node.js. `make` alone lists them.
# Written for GNU make 3.81 and later (macOS's make), with no shell but /bin/sh.
.DEFAULT_GOAL := help
STACKLAB := sh tools/stacklab.sh
# Run from tools/, where the tools' dependencies (tsx among them) are installed.
TOOLS := cd tools && node --import tsx
SERVICE ?=

.PHONY: help up down ps logs reload restart stop db-shell reset inspect inspect-web test test-faults lint typecheck check hint solution watch doctor help-report bench break unbreak

# `make check 3` / `make hint 3` / `make break wrong-port`: the word after the target is the exercise
# (or lab), not another target.
ifneq (,$(filter $(firstword $(MAKECMDGOALS)),check hint solution break))
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
	@echo "Options: SERVICE=app|nginx|mysql (logs, restart, stop), STACK=docker|native (make up: switch the runner), MODE=prod (up), FORCE=1 (reset, solution), ID=<request id> (inspect),"
	@echo "         RECHECK=1 (check: check recorded passes again), APPLY=1 (solution: put it into your files)"

# The course's commands answer in words, and "not yet" or "the stack does not answer" (the tools'
# exit statuses 1 and 2) are answers, not failures: make then ends without an error line of its own.
course = @$(STACKLAB) $(1) || [ $$? -le 2 ]

up: ## Start the stack (creates .env with fresh secrets on first run), then print the URL
	@$(STACKLAB) up

down: ## Stop everything the stack started (data is kept)
	@$(STACKLAB) down

ps: ## Show which services run, with their pids (or container ids) and addresses
	@$(STACKLAB) ps

logs: ## Show the logs (follows them in a terminal); SERVICE=app|nginx|mysql for one
	@$(STACKLAB) logs $(SERVICE)

reload: ## Test the nginx config in nginx/ and reload it; a broken config is refused
	@$(STACKLAB) reload

restart: ## Restart one service (SERVICE=app|nginx|mysql) or all; the app is rebuilt first
	@$(STACKLAB) restart $(SERVICE)

stop: ## Stop one service (SERVICE=app|nginx|mysql) and leave the others running; make up starts it again
	@$(STACKLAB) stop $(SERVICE)

.PHONY: ca
ca: ## Where the stack's certificate authority (for https://localhost:8443) is, and how to trust it
	@$(STACKLAB) ca

db-shell: ## Open a SQL shell on the database as the app's user
	@$(STACKLAB) db-shell

reset: ## Delete all data (users, sessions, logs) after asking
	@$(STACKLAB) reset

check: ## Check the exercises against the running stack (RECHECK=1: recorded passes too); make check 3 for one, with reasons (make check lab-NAME: a lab)
	$(call course,check $(EXERCISE))

hint: ## Show the next hint of an exercise: make hint 3 (without a number: the exercise you are on)
	$(call course,hint $(EXERCISE))

solution: ## Show the reference solution of an exercise (asks first): make solution 3; APPLY=1 puts it into your files
	$(call course,solution $(EXERCISE))

watch: ## Check the exercise you are on whenever you save a file, and move on when it passes (q or Ctrl-C stops)
	$(call course,watch)

break: ## Break-and-diagnose lab: make break wrong-port puts one fault into your stack (docs/labs/README.md lists the labs)
	$(call course,break $(EXERCISE))

unbreak: ## Undo the lab make break applied (the lab is then undone, not fixed: make check lab-NAME says so)
	$(call course,unbreak)

doctor: ## Explain what is wrong: the cause, your file and line (nginx config, migration, app crash), port taken, next step
	$(call course,doctor)

help-report: ## Write one Markdown file for your mentor (system, settings without secrets, logs, your changes, failed requests); prints its path
	$(call course,help-report)

inspect: ## Every request hop by hop, live; ID=<request id> for one in full; FILTER_PATH=, FILTER_STATUS=, FILTER_METHOD=, FILTER_SLOW=100ms, FILTER_STATEMENTS=10
	@$(STACKLAB) inspect

inspect-web: ## The request inspector as a web page on http://127.0.0.1:8090 (INSPECTOR_PORT), until Ctrl-C
	@$(STACKLAB) inspect-web

test: deps ## Run every test: unit tests, then a throwaway stack on free ports (never yours)
	@$(TOOLS) testing/run-tests.ts

test-faults: deps ## Break the stack under load (kills, restarts, slow clients, bad input) and check nothing acknowledged is lost
	@cd tools && SUITE=faults node --import tsx testing/run-tests.ts

bench: deps ## Measure each layer's speed on a throwaway stack (SHORT=1: a few seconds per step; TAIL=1: the tail experiments); see docs/performance.md
	@$(if $(SHORT),export BENCH_SHORT=$(SHORT) && )$(if $(TAIL),export BENCH_TAIL=$(TAIL) && )$(TOOLS) cli/main.ts bench

typecheck: deps ## Type-check the app, the tools and the tests
	@tools/node_modules/.bin/tsc -p tools/tsconfig.json && npm --prefix app run --silent typecheck

lint: deps ## Lint all TypeScript
	@tools/node_modules/.bin/eslint --config tools/eslint.config.js .

# Dependencies are installed (exactly as locked) when missing or when the lock file changed.
.PHONY: deps
deps: tools/node_modules/.package-lock.json app/node_modules/.package-lock.json

tools/node_modules/.package-lock.json: tools/package-lock.json
	@echo "Installing the tools' dependencies (npm ci)…"
	@npm --prefix tools ci --no-audit --no-fund --loglevel=error
	@touch $@

app/node_modules/.package-lock.json: app/package-lock.json
	@echo "Installing the app's dependencies (npm ci)…"
	@npm --prefix app ci --no-audit --no-fund --loglevel=error
	@touch $@
