#!/usr/bin/env node
// llama.cpp side of the Blyan-vs-llama.cpp comparison (benchmark aid, not used by CI; see README.md).
//
//   node bench.mjs --model FILE.gguf [-t 2] [-p 64] [-n 32] [-r 5] [--fa off|on|auto] [--kv f16|f32]
//                  [--tg greedy|llama-bench]
//   node bench.mjs --model FILE.gguf --generate 1,2,3 -n 16 [-t 2] [--kv f32]   greedy ids, comma-separated
//
// Runs llama.cpp on the CPU only, through the prebuilt binaries of node-llama-cpp 3.22.1 (never downloads or
// compiles anything).  Measures the way llama-bench (and `blyan-engine bench`) do:
//   pp<P>: one llama_decode of a P-token random prompt in a single batch, logits for the last token only;
//   tg<N>: N single-token llama_decode calls from a 1-token prompt;
// each after one untimed warm-up run and repeated -r times with the KV cache cleared before every run; the
// table line gives mean ± sample stddev of tokens/s.
//
// Why the low-level API: node-llama-cpp's high-level evaluation (LlamaContextSequence.evaluate / LlamaChat) goes
// through a JS batching scheduler, token predictors, detokenisation, stop-trigger and repeat-penalty bookkeeping
// on every token, which is overhead llama-bench does not have and would understate tg.  So this script talks to
// the addon objects underneath the public classes (context._ctx = AddonContext, model._model = AddonModel):
// initBatch/addToBatch/decodeBatch are thin wrappers over llama_batch_init/common_batch_add/llama_decode (the
// decode runs on a libuv worker thread; the hop costs tens of microseconds per call), and sampleToken with a
// temperature-0 AddonSampler is llama.cpp's greedy sampler (argmax over the vocabulary).
//   --tg greedy       (default) feeds back the argmax of each step, like `blyan-engine bench`, whose tg loop also
//                     takes the argmax of the logits on the CPU;
//   --tg llama-bench  feeds random tokens and never samples, exactly like llama-bench's test_gen.
// The argmax over 151,936 logits costs well under a millisecond, so the two normally agree within the noise.
//
// One difference from llama-bench remains: node-llama-cpp does not attach a ggml threadpool to its context, so each
// llama_decode starts and joins its worker threads (strace: one clone3 per decode with -t 2), about 0.1 ms against
// 12+ ms per token here.  More important on a 2-core machine: ggml's threads meet at spin barriers that never yield,
// so any other runnable process (a compile, a test run) makes -t 2 figures collapse and swing between runs; run.sh
// prints how many other threads are runnable before each benchmark.

import path from "node:path";
import fs from "node:fs";
import {pathToFileURL} from "node:url";

function usage(msg) {
    if (msg) console.error("bench.mjs: " + msg);
    console.error("usage: node bench.mjs --model FILE.gguf|MODEL_DIR [-t 2] [-p 64] [-n 32] [-r 5] [--fa off|on|auto] " +
        "[--kv f16|f32] [--tg greedy|llama-bench] [--seed S] [--generate IDS] [--verbose]");
    process.exit(2);
}

function parseArgs(argv) {
    const o = {model: null, threads: 2, p: 64, n: 32, reps: 5, fa: "off", kv: null, tg: "greedy", seed: 1,
        generate: null, verbose: false};
    for (let i = 0; i < argv.length; i++) {
        const a = argv[i];
        const next = () => {
            if (i + 1 >= argv.length) usage(`${a} needs a value`);
            return argv[++i];
        };
        const int = () => {
            const v = Number(next());
            if (!Number.isInteger(v) || v < 0) usage(`${a} needs a non-negative integer`);
            return v;
        };
        switch (a) {
            case "--model": case "-m": o.model = next(); break;
            case "-t": case "--threads": o.threads = int(); break;
            case "-p": case "--n-prompt": o.p = int(); break;
            case "-n": case "--n-gen": o.n = int(); break;
            case "-r": case "--repetitions": o.reps = Math.max(1, int()); break;
            case "--fa": o.fa = next(); break;
            case "--kv": o.kv = next(); break;
            case "--tg": o.tg = next(); break;
            case "--seed": o.seed = int(); break;
            case "--generate": o.generate = next().split(",").filter((s) => s.trim() !== "").map((s) => {
                const v = Number(s);
                if (!Number.isInteger(v) || v < 0) usage(`bad token id ${s}`);
                return v;
            }); break;
            case "--verbose": case "-v": o.verbose = true; break;
            case "-h": case "--help": usage(); break;
            default: usage(`unknown argument ${a}`);
        }
    }
    if (!o.model) usage("--model is required");
    if (fs.existsSync(o.model) && fs.statSync(o.model).isDirectory()) o.model = path.join(o.model, "model.gguf");
    if (!fs.existsSync(o.model)) usage(`${o.model} does not exist (convert it with hf_to_gguf.py)`);
    if (!["off", "on", "auto"].includes(o.fa)) usage("--fa takes off, on or auto");
    if (!["greedy", "llama-bench"].includes(o.tg)) usage("--tg takes greedy or llama-bench");
    // f16 KV cache is llama-bench's default; the correctness check wants f32 so only the weights' dtype matters
    if (o.kv == null) o.kv = o.generate ? "f32" : "f16";
    if (!["f16", "f32", "bf16"].includes(o.kv)) usage("--kv takes f16, f32 or bf16");
    if (o.generate && o.generate.length === 0) usage("--generate needs at least one token id");
    return o;
}

// node-llama-cpp lives in a cache folder outside the repository (run.sh installs it); find it there when a
// plain import from this script's location fails.
async function importNodeLlamaCpp() {
    const dirs = [];
    if (process.env.BLYAN_LLAMA_CPP_COMPARE_DIR) dirs.push(path.join(process.env.BLYAN_LLAMA_CPP_COMPARE_DIR, "node_modules"));
    const home = process.env.HOME || "";
    dirs.push(path.join(process.env.XDG_CACHE_HOME || path.join(home, ".cache"), "blyan-llama-cpp-compare", "node_modules"));
    try {
        return await import("node-llama-cpp");
    } catch (e) {
        if (e?.code !== "ERR_MODULE_NOT_FOUND") throw e;
    }
    for (const d of dirs) {
        const entry = path.join(d, "node-llama-cpp", "dist", "index.js");
        if (fs.existsSync(entry)) return await import(pathToFileURL(entry).href);
    }
    console.error("bench.mjs: node-llama-cpp is not installed; run run.sh once, or npm ci in " + dirs[0]);
    process.exit(1);
}

// xorshift-style seeded PRNG so the prompt is the same on every run
function rng(seed) {
    let s = BigInt(seed) ^ 0x9e3779b97f4a7c15n;
    return () => {
        s ^= s << 13n; s &= (1n << 64n) - 1n;
        s ^= s >> 7n;
        s ^= s << 17n; s &= (1n << 64n) - 1n;
        return s;
    };
}

function meanStd(xs) {
    const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
    const v = xs.length > 1 ? xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (xs.length - 1) : 0;
    return [mean, Math.sqrt(v)];
}

async function main() {
    const o = parseArgs(process.argv.slice(2));
    const {getLlama, LlamaLogLevel} = await importNodeLlamaCpp();

    // CPU only, prebuilt binaries only: never build from source, never download anything.
    const llama = await getLlama({
        gpu: false,
        build: "never",
        usePrebuiltBinaries: true,
        skipDownload: true,
        progressLogs: false,
        logLevel: o.verbose ? LlamaLogLevel.info : LlamaLogLevel.error,
        maxThreads: Math.max(o.threads, 1)
    });
    if (o.verbose) console.error(`llama.cpp build: ${llama.buildType}, gpu: ${llama.gpu}\n${llama.systemInfo}`);

    const model = await llama.loadModel({modelPath: o.model, gpuLayers: 0, useMmap: true});
    const embd = model.fileInfo.fullTensorInfo?.find((t) => t.name === "token_embd.weight");
    const vocab = Number(embd?.dimensions?.[1] ?? model.fileInfo.metadata?.tokenizer?.ggml?.tokens?.length ?? 0);
    if (!(vocab > 0)) throw new Error("cannot tell the vocabulary size of " + o.model);

    const need = o.generate ? o.generate.length + o.n : Math.max(o.p, o.n, 1);
    const kvType = o.kv.toUpperCase();
    const context = await model.createContext({
        contextSize: need + 1,
        batchSize: Math.max(o.generate ? o.generate.length : o.p, 1),
        sequences: 1,
        threads: o.threads,
        flashAttention: o.fa === "auto" ? "auto" : o.fa === "on",
        experimentalKvCacheKeyType: kvType,
        experimentalKvCacheValueType: kvType,
        ignoreMemorySafetyChecks: true
    });
    const ctx = context._ctx;        // AddonContext (llama_context)
    const seq = 0;                   // the only sequence
    if (ctx.getThreads() !== o.threads) console.error(`warning: context uses ${ctx.getThreads()} threads, not ${o.threads}`);

    const sampler = new llama._bindings.AddonSampler(model._model);
    sampler.applyConfig({temperature: 0});  // greedy: llama_sampler_init_greedy

    const clear = () => ctx.disposeSequence(seq);  // llama_memory_seq_rm(mem, 0, -1, -1)

    // decode `tokens` at positions pos.., logits for the last one only; returns its batch logit index
    async function decode(tokens, pos) {
        ctx.initBatch(tokens.length);
        const idx = ctx.addToBatch(seq, pos, Uint32Array.from(tokens), Uint32Array.of(tokens.length - 1));
        await ctx.decodeBatch();
        return idx[0];
    }
    const argmax = async (logitIndex) => {
        const t = await ctx.sampleToken(logitIndex, sampler);
        if (t === -1) throw new Error("sampling failed");
        return t;
    };

    if (o.generate) {
        clear();
        let li = await decode(o.generate, 0);
        const out = [];
        let pos = o.generate.length;
        for (let i = 0; i < o.n; i++) {
            const t = await argmax(li);
            out.push(t);
            if (i + 1 < o.n) li = await decode([t], pos++);
        }
        console.log(out.join(","));
        sampler.dispose();
        await context.dispose();
        await model.dispose();
        await llama.dispose();
        return;
    }

    const next = rng(o.seed);
    const prompt = Array.from({length: Math.max(o.p, 1)}, () => Number(next() % BigInt(vocab)));

    async function runPP() {
        clear();
        const t0 = process.hrtime.bigint();
        await decode(prompt, 0);
        return Number(process.hrtime.bigint() - t0) / 1e9;
    }
    async function runTG() {
        clear();
        const t0 = process.hrtime.bigint();
        let tok = prompt[0];
        for (let i = 0; i < o.n; i++) {
            const li = await decode([tok], i);
            tok = o.tg === "greedy" ? await argmax(li) : Number(next() % BigInt(vocab));
        }
        return Number(process.hrtime.bigint() - t0) / 1e9;
    }

    const tests = [];
    if (o.p > 0) tests.push({name: `pp${o.p}`, tokens: o.p, run: runPP});
    if (o.n > 0) tests.push({name: `tg${o.n}`, tokens: o.n, run: runTG});

    const desc = model.typeDescription;
    const gib = (model.size / 2 ** 30).toFixed(2) + " GiB";
    const params = (model._model.getTotalParameters() / 1e9).toFixed(2) + " B";
    const fa = o.fa === "auto" ? "auto" : o.fa === "on" ? "1" : "0";
    console.log(`| ${"model".padEnd(30)} | ${"size".padStart(10)} | ${"params".padStart(10)} | ${"backend".padEnd(10)} | ` +
        `${"threads".padStart(7)} | ${"fa".padStart(4)} | ${"test".padStart(13)} | ${"t/s".padStart(20)} |`);
    console.log("| ------------------------------ | ---------: | ---------: | ---------- | ------: | ---: | ------------: | -------------------: |");
    for (const t of tests) {
        await t.run();  // warm-up
        const tps = [];
        for (let r = 0; r < o.reps; r++) tps.push(t.tokens / await t.run());
        if (o.verbose) console.error(`${t.name} runs (tok/s): ${tps.map((x) => x.toFixed(1)).join(" ")}`);
        const [m, s] = meanStd(tps);
        console.log(`| ${("llama.cpp " + desc).slice(0, 30).padEnd(30)} | ${gib.padStart(10)} | ${params.padStart(10)} | ` +
            `${"CPU".padEnd(10)} | ${String(o.threads).padStart(7)} | ${fa.padStart(4)} | ${t.name.padStart(13)} | ` +
            `${(m.toFixed(2) + " ± " + s.toFixed(2)).padStart(20)} |`);
    }
    if (o.verbose) console.error(`kv cache ${kvType}, tg mode ${o.tg}, prompt seed ${o.seed}`);
    sampler.dispose();
    await context.dispose();
    await model.dispose();
    await llama.dispose();
}

main().catch((e) => {
    console.error(e?.stack || String(e));
    process.exit(1);
});
