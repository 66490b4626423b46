# Infrastructure targets (docs/deploy.md). Included by the root Makefile, which defines
# STAGE ?= local and the `setup` target. `local` is the embedded platform and never deployed,
# so here it means the first cloud stage, dev.
INFRA_STAGE := $(if $(filter local,$(STAGE)),dev,$(STAGE))
INFRA_OUT := infra/cdktf.out
INFRA_STATEFUL := hookrelay-stateful-$(INFRA_STAGE)
INFRA_STATELESS := hookrelay-stateless-$(INFRA_STAGE)
TERRAFORM ?= terraform
# Providers are downloaded once per machine, not once per stack and synth.
export TF_PLUGIN_CACHE_DIR ?= $(TOOLS)/terraform-plugins
# AUTO_APPROVE=1 skips Terraform's confirmation (CI); by default apply and destroy ask.
TF_APPROVE := $(if $(filter 1 true yes,$(AUTO_APPROVE)),-auto-approve)

# What the synth reads besides STAGE, passed through whether set in the environment or on
# the make command line.
INFRA_SYNTH_ENV := STAGE='$(INFRA_STAGE)' \
	$(if $(AWS_REGION),AWS_REGION='$(AWS_REGION)') \
	$(if $(TF_STATE_BUCKET),TF_STATE_BUCKET='$(TF_STATE_BUCKET)') \
	$(if $(TF_STATE_REGION),TF_STATE_REGION='$(TF_STATE_REGION)')

.PHONY: infra-preflight

synth: setup ## build the Lambda bundles and synthesize both stacks of STAGE (default dev) to infra/cdktf.out
	pnpm run build
	$(strip $(INFRA_SYNTH_ENV)) node --import tsx infra/src/main.ts

# Before anything talks to AWS: Terraform is there and the state has a home.
infra-preflight:
	@command -v $(TERRAFORM) >/dev/null || { echo "terraform >= 1.10 is not on PATH (https://developer.hashicorp.com/terraform/install)" >&2; exit 2; }
	@[ -n "$(TF_STATE_BUCKET)" ] || { echo "TF_STATE_BUCKET is not set: the S3 bucket that keeps Terraform state (docs/deploy.md)" >&2; exit 2; }
	@mkdir -p "$(TF_PLUGIN_CACHE_DIR)"

# $(call tf,<stack>,<terraform command and flags>): init against the stage's state, then run.
define tf
	@echo "== $(1): terraform $(firstword $(2))" >&2
	$(TERRAFORM) -chdir=$(INFRA_OUT)/stacks/$(1) init -input=false -reconfigure
	$(TERRAFORM) -chdir=$(INFRA_OUT)/stacks/$(1) $(2)
endef

plan: infra-preflight synth ## terraform plan both stacks of STAGE (needs TF_STATE_BUCKET and AWS credentials)
	$(call tf,$(INFRA_STATEFUL),plan -input=false)
	$(call tf,$(INFRA_STATELESS),plan -input=false)

# Tables and queues first: the worker's event source mapping needs its queue to exist.
apply: infra-preflight synth ## terraform apply STAGE: stateful stack, then stateless (AUTO_APPROVE=1 to skip prompts)
	$(call tf,$(INFRA_STATEFUL),apply -input=false $(TF_APPROVE))
	$(call tf,$(INFRA_STATELESS),apply -input=false $(TF_APPROVE))

# The reverse order: nothing is left pointing at a table or queue that is gone.
destroy: infra-preflight synth ## terraform destroy STAGE: stateless stack, then stateful (prod tables refuse: deletion protection)
	$(call tf,$(INFRA_STATELESS),destroy -input=false $(TF_APPROVE))
	$(call tf,$(INFRA_STATEFUL),destroy -input=false $(TF_APPROVE))
