#!/usr/bin/env bash
# `make bench`: installs what is missing (nginx + echo module, the lm-eval bench virtualenv, release builds of
# culturelens and CultureLensBench, the local model's .venv), then runs Benchmarks/bench.py, which prints one table
# and writes Benchmarks/results/latest.md. Not part of `make test`.
#
# Sizes: BENCH_QUICK=1 (smoke run, about a minute once installed), BENCH_SIZES, BENCH_REPEAT, BENCH_LATENCY_ITEMS,
# BENCH_STORE_COUNT, BENCH_SKIP_LMEVAL=1, BENCH_SKIP_REAL=1, BENCH_SECTIONS="overhead latency stall real store".
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$(pwd)
BENCH_VENV=${BENCH_VENV:-$ROOT/.venv-bench}
SCRATCH_REL=${BENCH_SCRATCH:-$ROOT/.build-bench-rel}
PYTHON=${PYTHON:-python3}
# lm-eval's version is pinned so the comparison is repeatable; the `api` extra brings aiohttp/tenacity/tiktoken.
LMEVAL_PKG=${LMEVAL_PKG:-lm-eval[api]==0.4.13}

say() { printf '[bench] %s\n' "$*" >&2; }

as_root() {
    if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
        say "need root for: $*"; return 1
    fi
}

# 1. nginx with the echo module (the fake OpenAI-compatible endpoint; echo_sleep gives the 200 ms latency)
if ! command -v nginx >/dev/null || [ ! -e /usr/lib/nginx/modules/ngx_http_echo_module.so ]; then
    say "installing nginx-light and libnginx-mod-http-echo"
    as_root apt-get update -qq || true
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx-light libnginx-mod-http-echo >/dev/null
fi

# 2. the lm-eval virtualenv (kept between runs; a stamp records a finished install)
export BENCH_LMEVAL="" BENCH_LMEVAL_WHY=""
if [ -z "${BENCH_SKIP_LMEVAL:-}" ] || [ "${BENCH_SKIP_LMEVAL}" = 0 ]; then
    STAMP="$BENCH_VENV/.installed-$(printf '%s' "$LMEVAL_PKG" | tr -c 'A-Za-z0-9.=' '_')"
    if [ ! -e "$STAMP" ]; then
        say "installing $LMEVAL_PKG into $BENCH_VENV (first time only)"
        if { [ -x "$BENCH_VENV/bin/python" ] || "$PYTHON" -m venv "$BENCH_VENV"; } &&
            "$BENCH_VENV/bin/pip" install --disable-pip-version-check --quiet "$LMEVAL_PKG" >"$ROOT/Benchmarks/.pip.log" 2>&1
        then
            touch "$STAMP"
        else
            BENCH_LMEVAL_WHY="pip install $LMEVAL_PKG failed: $(tail -n 1 "$ROOT/Benchmarks/.pip.log" 2>/dev/null)"
        fi
    fi
    if [ -e "$STAMP" ]; then
        for exe in lm-eval lm_eval; do
            if [ -x "$BENCH_VENV/bin/$exe" ]; then BENCH_LMEVAL="$BENCH_VENV/bin/$exe"; break; fi
        done
        [ -n "$BENCH_LMEVAL" ] || BENCH_LMEVAL_WHY="no lm-eval executable in $BENCH_VENV/bin"
    fi
fi

# 3. release builds in the bench's own scratch path
say "building culturelens and CultureLensBench (release, $SCRATCH_REL)"
swift build -c release --scratch-path "$SCRATCH_REL" --product culturelens >&2
swift build -c release --scratch-path "$SCRATCH_REL" --product CultureLensBench >&2
BIN=$(swift build -c release --scratch-path "$SCRATCH_REL" --show-bin-path)
export BENCH_CULTURELENS="$BIN/culturelens" BENCH_STORE_BIN="$BIN/CultureLensBench"

# 4. the local model (llama.cpp + Gemma) for the real-model row
if [ -z "${BENCH_SKIP_REAL:-}" ] || [ "${BENCH_SKIP_REAL}" = 0 ]; then
    make --no-print-directory setup >&2
fi

exec "$PYTHON" "$ROOT/Benchmarks/bench.py"
