# Infrastructure targets (docs/deploy.md). Included by the root Makefile, which defines
# STAGE ?= local and the `setup` target. `local` is the embedded platform and never deployed,
# so here it means the first cloud stage, dev.
INFRA_STAGE := $(if $(filter local,$(STAGE)),dev,$(STAGE))
INFRA_OUT ?= infra/cdktf.out
INFRA_STATEFUL := hookrelay-stateful-$(INFRA_STAGE)
INFRA_STATELESS := hookrelay-stateless-$(INFRA_STAGE)
# `make plan` saves one plan per stack here (inside the stack's folder), `make apply` applies it.
PLAN_FILE := hookrelay.tfplan
TERRAFORM ?= terraform
AWS ?= aws
# Providers are downloaded once per machine, not once per stack and synth.
export TF_PLUGIN_CACHE_DIR ?= $(TOOLS)/terraform-plugins
AUTO_APPROVED := $(filter 1 true yes,$(AUTO_APPROVE))

# What the synth reads besides STAGE, passed through whether set in the environment or on
# the make command line.
INFRA_SYNTH_ENV := STAGE='$(INFRA_STAGE)' INFRA_OUT='$(INFRA_OUT)' \
	$(if $(AWS_REGION),AWS_REGION='$(AWS_REGION)') \
	$(if $(AWS_DEFAULT_REGION),AWS_DEFAULT_REGION='$(AWS_DEFAULT_REGION)') \
	$(if $(TF_STATE_BUCKET),TF_STATE_BUCKET='$(TF_STATE_BUCKET)') \
	$(if $(TF_STATE_REGION),TF_STATE_REGION='$(TF_STATE_REGION)') \
	$(if $(TF_STATE_KMS_KEY_ID),TF_STATE_KMS_KEY_ID='$(TF_STATE_KMS_KEY_ID)') \
	$(if $(DEPLOY_RECEIVER),DEPLOY_RECEIVER='$(DEPLOY_RECEIVER)') \
	$(if $(API_GATEWAY),API_GATEWAY='$(API_GATEWAY)') \
	$(if $(MONITORING),MONITORING='$(MONITORING)') \
	$(if $(DELIVERY_LANES),DELIVERY_LANES='$(DELIVERY_LANES)') \
	$(if $(INBOUND_ARCHIVE),INBOUND_ARCHIVE='$(INBOUND_ARCHIVE)') \
	$(if $(TF_VAR_alarm_email),TF_VAR_alarm_email='$(TF_VAR_alarm_email)')

# The Lambda bundles, rebuilt only when a source they are built from changed.
INFRA_BUNDLES := $(foreach service,api authorizer worker sweeper dlq-processor receiver ingest inbound-processor,services/$(service)/dist/handler.mjs)
INFRA_BUNDLE_SOURCES := $(shell find services packages -name node_modules -prune -o -name dist -prune -o -type f \( -name '*.ts' -o -name package.json \) -print 2>/dev/null) tsup.lambda.ts pnpm-lock.yaml

.PHONY: infra-target infra-preflight infra-destroy-allowed state-bucket

$(INFRA_BUNDLES) &: $(INFRA_BUNDLE_SOURCES) | setup
	pnpm run build

# Once per account and region, before any plan: the hardened state bucket and its KMS key
# (docs/deploy.md, step 1). Prints the exports to use: eval "$(make -s state-bucket)".
state-bucket: ## create (or harden again) the Terraform state bucket and its KMS key in AWS_REGION; prints TF_STATE_BUCKET and TF_STATE_KMS_KEY_ID
	@AWS='$(AWS)' $(if $(TF_STATE_BUCKET),TF_STATE_BUCKET='$(TF_STATE_BUCKET)') infra/scripts/state-bucket.sh

# The stage's region, state bucket and (prod) alarm recipient, checked before anything is built.
infra-target: setup
	@$(strip $(INFRA_SYNTH_ENV)) node --import tsx infra/src/main.ts --check

synth: infra-target $(INFRA_BUNDLES) ## build the Lambda bundles and synthesize both stacks of STAGE (default dev) to infra/cdktf.out
	$(strip $(INFRA_SYNTH_ENV)) node --import tsx infra/src/main.ts

# Before anything talks to AWS: Terraform is there, the state has a home, the stage is complete.
infra-preflight:
	@command -v $(TERRAFORM) >/dev/null || { echo "terraform >= 1.10 is not on PATH (https://developer.hashicorp.com/terraform/install)" >&2; exit 2; }
	@[ -n "$(TF_STATE_BUCKET)" ] || { echo "TF_STATE_BUCKET is not set: the S3 bucket that keeps Terraform state (docs/deploy.md)" >&2; exit 2; }
	@mkdir -p "$(TF_PLUGIN_CACHE_DIR)"

# $(call tf,<stack>,<terraform command and flags>)
define tf
	$(TERRAFORM) -chdir=$(INFRA_OUT)/stacks/$(1) $(2)
endef

# $(call tf_plan,<stack>): init against the stage's state, plan to the stack's plan file and
# keep a plain-text rendering of it beside the file for the review.
define tf_plan
	@echo "== $(1): terraform plan" >&2
	$(call tf,$(1),init -input=false -reconfigure)
	$(call tf,$(1),plan -input=false -out=$(PLAN_FILE))
	$(call tf,$(1),show -no-color $(PLAN_FILE)) > $(INFRA_OUT)/stacks/$(1)/$(PLAN_FILE).txt
endef

# $(call tf_apply,<stack>): apply exactly the saved plan (Terraform refuses one that is stale),
# then remove it: a plan is applied once.
define tf_apply
	@echo "== $(1): terraform apply $(PLAN_FILE)" >&2
	$(call tf,$(1),apply -input=false $(PLAN_FILE))
	@rm -f $(INFRA_OUT)/stacks/$(1)/$(PLAN_FILE) $(INFRA_OUT)/stacks/$(1)/$(PLAN_FILE).txt
endef

plan: infra-preflight synth ## terraform plan both stacks of STAGE into saved plan files that make apply applies
	$(call tf_plan,$(INFRA_STATEFUL))
	$(call tf_plan,$(INFRA_STATELESS))
	@echo "Saved plans: $(INFRA_OUT)/stacks/{$(INFRA_STATEFUL),$(INFRA_STATELESS)}/$(PLAN_FILE) (text beside them, .txt)." >&2
	@echo "Review them, then: make apply STAGE=$(INFRA_STAGE)" >&2

# No synth here: what is applied is what `make plan` saved and someone reviewed, never a fresh
# plan. Tables and queues first: the worker's event source mapping needs its queue to exist.
apply: infra-preflight ## apply the plans make plan saved for STAGE: stateful stack, then stateless (AUTO_APPROVE=1: no question)
	@for stack in $(INFRA_STATEFUL) $(INFRA_STATELESS); do \
	  [ -f "$(INFRA_OUT)/stacks/$$stack/$(PLAN_FILE)" ] || { echo "No saved plan for $$stack: run make plan STAGE=$(INFRA_STAGE), review it, then make apply STAGE=$(INFRA_STAGE)." >&2; exit 2; }; \
	done
	@$(if $(AUTO_APPROVED),true,printf "Apply the saved plans of stage $(INFRA_STAGE) (shown by make plan)? Only 'yes' applies: " >&2; read -r answer && [ "$$answer" = yes ]) \
	  || { echo "Not applied." >&2; exit 1; }
	$(call tf_apply,$(INFRA_STATEFUL))
	$(call tf_apply,$(INFRA_STATELESS))

# Production is never torn down by a make target: its tables, queues, bucket and archives also
# carry prevent_destroy, so even a hand-run terraform destroy stops at them.
infra-destroy-allowed:
	@[ "$(INFRA_STAGE)" != prod ] || { echo "make destroy refuses stage prod: production data (tables, queues, the inbound archive) is not torn down by a make target. See docs/deploy.md, Tearing a stage down." >&2; exit 2; }

# The reverse order: nothing is left pointing at a table or queue that is gone.
destroy: infra-destroy-allowed infra-preflight synth ## terraform destroy STAGE (not prod): stateless stack, then stateful
	@echo "== $(INFRA_STATELESS): terraform destroy" >&2
	$(call tf,$(INFRA_STATELESS),init -input=false -reconfigure)
	$(call tf,$(INFRA_STATELESS),destroy -input=false $(if $(AUTO_APPROVED),-auto-approve))
	@echo "== $(INFRA_STATEFUL): terraform destroy" >&2
	$(call tf,$(INFRA_STATEFUL),init -input=false -reconfigure)
	$(call tf,$(INFRA_STATEFUL),destroy -input=false $(if $(AUTO_APPROVED),-auto-approve))
