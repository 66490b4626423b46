# Operations targets (docs/operations.md). Included by the root Makefile, which sets
# STAGE ?= local, MAX ?= 100 and BATCH ?= 10. STAGE=local talks to the running `make dev`
# (DYNAMODB_PORT, SQS_PORT, LOCAL_STAGE); any other stage talks to AWS with the usual
# credential chain. Results go to stdout, everything else to stderr.
OPS_CLI := node --import tsx packages/ops-cli/src/main.ts
COLLECTION ?= packages/ops-cli/dist/hookrelay.postman_collection.json

.PHONY: collection queue-peek bus-follow

dlq-peek: setup ## list the DLQ's messages without consuming them (STAGE, MAX; JSON=1 for JSON; QUEUE=ordered|inbound for the ordered line's or the inbound DLQ)
	@$(OPS_CLI) dlq-peek --stage '$(STAGE)' --max '$(MAX)' $(if $(JSON),--json) $(if $(QUEUE),--queue '$(QUEUE)')

dlq-requeue: setup ## move DLQ messages back to their queue, prints {"requeued": n, "failed": m} (STAGE, MAX, BATCH; QUEUE=ordered|inbound)
	@$(OPS_CLI) dlq-requeue --stage '$(STAGE)' --max '$(MAX)' --batch '$(BATCH)' $(if $(QUEUE),--queue '$(QUEUE)')

queue-peek: setup ## a local queue's messages, none consumed (QUEUE=deliveries|slow|deliveries-dlq|inbound-webhooks|inbound-github-events...; no QUEUE lists them; JSON=1)
	@$(OPS_CLI) queue-peek --stage '$(STAGE)' --max '$(MAX)' $(if $(JSON),--json) $(if $(QUEUE),--queue '$(QUEUE)')

bus-follow: setup ## print each event the local bus routes to a provider's queue, as it comes (Ctrl-C stops)
	@$(OPS_CLI) bus-follow --stage '$(STAGE)'

seed: setup ## create the tenants test-tenant, acme and globex on the reference receiver, idempotently
	@$(OPS_CLI) seed --stage '$(STAGE)'

collection: setup ## write the Postman collection generated from the running API's OpenAPI document
	@$(OPS_CLI) collection --out '$(COLLECTION)'
