#!/usr/bin/env bash
# Benchmark Blyan's engine and llama.cpp on the same qwen3_moe checkpoint, back to back, on the same machine state.
# Benchmark aid only, not used by CI (see README.md).
#
#   tools/llama_cpp_compare/run.sh MODEL_DIR [reps]
#
# MODEL_DIR: a Hugging Face qwen3_moe checkpoint (e.g. from `blyan-engine make-test-model --arch qwen3_moe`).
# Environment: THREADS (default 2), PROMPT (64), GEN (32), ROUNDS (2), BLYAN_ENGINE (default build/bin/blyan-engine),
#   BLYAN_LLAMA_CPP_COMPARE_DIR (node_modules cache, default ~/.cache/blyan-llama-cpp-compare),
#   LLAMA_BENCH_ARGS (extra bench.mjs arguments, e.g. "--fa on" or "--tg llama-bench").
set -euo pipefail

if [[ $# -lt 1 || $# -gt 2 || ! -d $1 ]]; then
    echo "usage: $0 MODEL_DIR [reps]" >&2
    exit 2
fi
MODEL_DIR=$(cd "$1" && pwd)
REPS=${2:-5}
THREADS=${THREADS:-2}
PROMPT=${PROMPT:-64}
GEN=${GEN:-32}
ROUNDS=${ROUNDS:-2}

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
ENGINE=${BLYAN_ENGINE:-$ROOT/build/bin/blyan-engine}
CACHE=${BLYAN_LLAMA_CPP_COMPARE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/blyan-llama-cpp-compare}

[[ -x $ENGINE ]] || { echo "run.sh: $ENGINE not found; build the project first" >&2; exit 1; }
command -v node >/dev/null || { echo "run.sh: node (>= 20) is required" >&2; exit 1; }
command -v python3 >/dev/null || { echo "run.sh: python3 is required" >&2; exit 1; }

# --- 1. GGUF: MODEL_DIR/model.gguf, or MODEL_DIR.gguf beside it when the folder is read-only ------------------------
if [[ -f $MODEL_DIR/model.gguf ]]; then
    GGUF=$MODEL_DIR/model.gguf
elif [[ -f $MODEL_DIR.gguf ]]; then
    GGUF=$MODEL_DIR.gguf
elif [[ -w $MODEL_DIR ]]; then
    GGUF=$MODEL_DIR/model.gguf
else
    GGUF=$MODEL_DIR.gguf
fi
# (re)convert when missing or older than the checkpoint (make-test-model may have rewritten the folder)
if [[ ! -f $GGUF ]] || [[ -n $(find "$MODEL_DIR" -maxdepth 1 \( -name '*.safetensors' -o -name config.json \
        -o -name tokenizer.json \) -newer "$GGUF" -print -quit) ]]; then
    echo "== converting $MODEL_DIR -> $GGUF" >&2
    python3 "$HERE/hf_to_gguf.py" "$MODEL_DIR" --out "$GGUF"
fi

# --- 2. node-llama-cpp, prebuilt CPU binaries only, cached outside the repository ------------------------------------
# --ignore-scripts skips node-llama-cpp's postinstall (which may try to download or build llama.cpp);
# --omit=optional skips the CUDA/Vulkan/other-platform binary packages (hundreds of MB): package.json depends on
# @node-llama-cpp/linux-x64 directly, so the CPU build we need is installed anyway.
# `npm install` rather than `npm ci`: the lock pins every version, but npm ci refuses a lock that lacks the
# optional packages for other platforms, and the registry this was made against has no 3.22.1 of some of them.
export NODE_LLAMA_CPP_SKIP_DOWNLOAD=true NODE_LLAMA_CPP_GPU=false BLYAN_LLAMA_CPP_COMPARE_DIR=$CACHE
ADDON=$CACHE/node_modules/@node-llama-cpp/linux-x64/bins/linux-x64/llama-addon.node
STAMP=$(cat "$HERE/package.json" "$HERE/package-lock.json" | cksum)
if [[ ! -f $ADDON || ! -f $CACHE/node_modules/node-llama-cpp/package.json || $(cat "$CACHE/.installed" 2>/dev/null) != "$STAMP" ]]; then
    echo "== installing node-llama-cpp into $CACHE" >&2
    mkdir -p "$CACHE"
    rm -f "$CACHE/.installed"
    cp "$HERE/package.json" "$HERE/package-lock.json" "$CACHE/"
    (cd "$CACHE" && npm install --omit=optional --ignore-scripts --no-audit --no-fund --loglevel=error)
    [[ -f $ADDON ]] || { echo "run.sh: the prebuilt llama.cpp binary is missing after npm install: $ADDON" >&2; exit 1; }
    echo "$STAMP" >"$CACHE/.installed"
fi

# --- 3. alternate the two benchmarks so both see the same machine state -----------------------------------------------
# Other runnable threads right now: the most of 5 samples of procs_running over 1 s, less the sampling awk itself.
# llama.cpp's CPU threads meet at spin barriers, so one busy core (a compile, a test run) can cut its 2-thread
# figures several-fold while Blyan's barely move: a comparison is only fair when this is 0.
others_running() {
    local most=0 n i
    for i in 1 2 3 4 5; do
        n=$(awk '/^procs_running/ {print $2}' /proc/stat)
        ((n > most)) && most=$n
        sleep 0.2
    done
    echo $((most - 1))
}
machine_state() {
    local others
    others=$(others_running)
    echo "$(uptime | sed 's/.*load average/load average/'); other runnable threads: $others$( ((others > 0)) \
        && echo " -- WARNING: the machine is busy, llama.cpp's figures will be too low and noisy")"
}
echo "== model $MODEL_DIR, gguf $GGUF, threads $THREADS, reps $REPS, $(nproc) CPUs"
echo "== $(uptime)"
for ((round = 1; round <= ROUNDS; round++)); do
    echo
    echo "== round $round/$ROUNDS: blyan-engine ($(machine_state))"
    "$ENGINE" bench --model "$MODEL_DIR" -p "$PROMPT" -n "$GEN" -t "$THREADS" -r "$REPS"
    echo
    echo "== round $round/$ROUNDS: llama.cpp via node-llama-cpp 3.22.1 ($(machine_state))"
    # shellcheck disable=SC2086  # LLAMA_BENCH_ARGS is a list of words on purpose
    node "$HERE/bench.mjs" --model "$GGUF" -p "$PROMPT" -n "$GEN" -t "$THREADS" -r "$REPS" ${LLAMA_BENCH_ARGS:-}
done
echo
echo "== $(uptime)"
