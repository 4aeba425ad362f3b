# SafeNet reproduction package. `make reproduce` (PROFILE=smoke|default|paper) and `make test` set up what they
# need on first use (Debian packages, npm ci) and then run. See README.md.
SHELL := /bin/bash
PROFILE ?= default
TSX := node_modules/.bin/tsx
export SAFENET_PROFILE := $(PROFILE)

.PHONY: reproduce test notebook clean data setup typecheck bench test-slurm
# EXECUTOR=slurm runs trials and experiments as Slurm jobs (README, "Running on a Slurm cluster")
ifdef EXECUTOR
export SAFENET_EXECUTOR := $(EXECUTOR)
endif

setup:
	@scripts/setup.sh base

## reproduce: simulate the embedded default, build datasets, run every notebook headless, write figures/
reproduce: setup
	@echo "== reproduce, profile $(PROFILE)"
	$(TSX) scripts/reproduce.ts --profile $(PROFILE)

## test: type-check and run the test suite (ends with "N passed, N failed")
test: setup
	node_modules/.bin/tsc --noEmit -p .
	node scripts/run-tests.mjs

## test-slurm: the slurm executor's tests against a one-node Slurm cluster started here (and stopped after)
test-slurm: setup
	@scripts/setup.sh slurm
	scripts/slurm/cluster.sh start
	SLURM_CONF=$${SAFENET_SLURM_STATE:-/tmp/safenet-slurm}/slurm.conf SAFENET_SLURM_TESTS=1 node scripts/run-tests.mjs slurm; \
	  rc=$$?; scripts/slurm/cluster.sh stop; exit $$rc

typecheck: setup
	node_modules/.bin/tsc --noEmit -p .

## notebook: Jupyter with the project's tslab kernel, to read and edit the notebooks cell by cell
notebook:
	@scripts/setup.sh notebook
	JUPYTER_PATH=$$($(TSX) -e "console.log(require('./lib/notebooks/kernel').ensureKernelSpec())") \
	  /usr/bin/jupyter notebook --notebook-dir=notebooks $(if $(CI),--no-browser,) $(if $(filter 0,$(shell id -u)),--allow-root,)

## data: download the paper's real inputs (network needed); ARGS="--dry-run" lists the requests
data: setup
	+$(TSX) scripts/data.ts $(if $(findstring n,$(firstword -$(MAKEFLAGS))),--dry-run) $(ARGS)

bench: setup
	@scripts/setup.sh bench
	npm run bench:train -- --torch

## clean: remove generated outputs (build/, figures/)
clean:
	rm -rf build
	find figures -mindepth 1 ! -name README.md -delete 2>/dev/null || true
