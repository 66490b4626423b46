# Benchmarks (docs/benchmarks.md): cost per delivered event, overhead against a bare floor,
# end-to-end latency on the local platform, cold start. Results go to .bench/latest.json and
# .bench/latest.md; they report, they do not pass or fail. BENCH_QUICK=1 takes under 5 minutes.
BENCH_QUICK ?=
export BENCH_QUICK

# bench/ is a workspace package: a change to its dependencies reinstalls them.
$(DEPS_STAMP): bench/package.json

bench: setup build local-speed ## cost, overhead, latency and cold-start benchmarks → .bench/latest.json (BENCH_QUICK=1: quick run)
	node --import tsx bench/src/main.ts
