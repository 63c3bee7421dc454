# peerline: `make run` starts the service, `make test` runs every test against a throwaway Redis.
SHELL := /bin/bash
GO ?= go
REDIS_URL ?= $(shell grep -s '^REDIS_URL=' .env | cut -d= -f2-)
ifeq ($(REDIS_URL),)
REDIS_URL := redis://localhost:6379/0
endif

.PHONY: run stop-redis test test-cluster bench bench-fsync bench-rota bench-bot bench-due fuzz night chaos tools

## run: make sure a local Redis answers (starting one with data in .data/redis if not), then start the service
run: tools
	@scripts/dev/redis.sh local "$(REDIS_URL)" .data/redis
	REDIS_URL="$(REDIS_URL)" $(GO) run .

## stop-redis: stop the Redis that `make run` started (its data stays in .data/redis)
stop-redis:
	@scripts/dev/redis.sh stop .data/redis

## test: go vet, gofmt check and go test -race against a throwaway redis-server on a private socket; the
## output (read through scripts/dev/testsummary) ends with the failed tests and every skipped one, with why
test: tools
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	  if [ -n "$$out" ]; then echo "gofmt needed on: $$out"; exit 1; fi
	$(GO) vet ./...
	@bin=$$(mktemp -d) && trap 'rm -rf "$$bin"' EXIT && $(GO) build -o "$$bin/testsummary" ./scripts/dev/testsummary && \
	  echo "scripts/dev/redis.sh test $(GO) test -race -count=1 -json ./... | testsummary" && set -o pipefail && \
	  scripts/dev/redis.sh test $(GO) test -race -count=1 -json ./... | "$$bin/testsummary"

## test-cluster: three lines of one deployment on a local 3-master Redis Cluster (started from the same
## redis-server, on free local ports, for this run only); one master is then killed and the other lines
## carry on. `make test` runs it too.
test-cluster: tools
	scripts/dev/redis.sh test $(GO) test -race -count=1 -run '^TestThreeLinesOnACluster$$' -v ./e2e

## fuzz: run each fuzz target for a short while (FUZZTIME=30s by default)
FUZZTIME ?= 30s
fuzz: tools
	scripts/dev/redis.sh test bash -c '\
	  set -e; for pkg in $$($(GO) list ./...); do \
	    for f in $$($(GO) test -list "^Fuzz" $$pkg | grep ^Fuzz || true); do \
	      $(GO) test -run=^$$ -fuzz="^$$f$$" -fuzztime=$(FUZZTIME) $$pkg; done; done'

## night: play a busy night through the whole service (virtual clock, signed webhooks, fake Twilio, throwaway
## Redis) and print what people and volunteers lived through; NIGHT_FLAGS sets the scenario, such as
## NIGHT_FLAGS="-night.volunteers 4 -night.arrivals-per-hour 30 -night.for 4h" (all: go test -run x ./e2e -args -h)
NIGHT_FLAGS ?=
night: tools
	scripts/dev/redis.sh test $(GO) test -count=1 -timeout 0 -run '^TestNight$$' -v ./e2e -args -night $(NIGHT_FLAGS)

tools:
	@command -v $(GO) >/dev/null || { echo "Go is not installed: install Go 1.26 or newer from https://go.dev/dl/"; exit 1; }
	@scripts/dev/redis.sh ensure

## bench: the load benchmark (BENCHMARKS.md) against a throwaway Redis; BENCH_FLAGS passes flags to it
bench: tools
	scripts/dev/redis.sh test $(GO) run ./scripts/loadgen $(BENCH_FLAGS)

## bench-fsync: the cost of appendfsync always against everysec (BENCHMARKS.md): the load benchmark, shortened by
## FSYNC_FLAGS, against a throwaway Redis with its AOF on this disk, the two settings alternating FSYNC_ROUNDS times
FSYNC_FLAGS ?= -rates 1000 -duration 3s -requests 100
FSYNC_ROUNDS ?= 2
bench-fsync: tools
	@for round in $$(seq $(FSYNC_ROUNDS)); do for fsync in everysec always; do \
	  echo "== round $$round: appendonly yes, appendfsync $$fsync"; \
	  PEERLINE_TEST_REDIS_ARGS="--appendonly yes --appendfsync $$fsync" \
	    scripts/dev/redis.sh test $(GO) run ./scripts/loadgen $(FSYNC_FLAGS) || exit 1; done; done

## chaos: the fault suite (RELIABILITY.md): every scenario against the built service, each with its own
## redis-server processes in temporary folders (make test runs a short set of them in-process)
chaos: tools
	$(GO) test -count=1 -timeout 30m -run '^TestChaos$$' -v ./chaos -args -chaos

## bench-rota: "who is on at t" for 1,000 volunteers and 10,000 shifts, indexed against testing every shift
bench-rota:
	$(GO) test -run '^$$' -bench WhoIsOn -benchtime 2000x ./rota

## bench-bot: a new request's own cost in the bot, processor time and allocations, against a throwaway Redis
bench-bot: tools
	scripts/dev/redis.sh test $(GO) test -run '^$$' -bench NewRequest -benchtime 3000x -benchmem -count 3 ./bot

## bench-due: one sweep of the due-work queue with 100 and with 100,000 items pending, against a throwaway Redis
bench-due: tools
	scripts/dev/redis.sh test $(GO) test -run '^$$' -bench Sweep -benchtime 2000x -count 3 ./due
