// Side-by-side encode throughput: npm `tiktoken` (Rust core compiled to WASM)
// in this process vs ctxbench's C++ tokenizer (ctxbench_bench_tokenizer, a
// Google Benchmark binary) on the same input files, single-threaded.
//
//   node compare.mjs BENCH_BINARY PROSE_FILE CODE_FILE
//
// Prints MB/s (1 MB = 2^20 bytes, Google Benchmark's unit) for both, the
// ratio, and checks both produce the same number of tokens.
import { get_encoding } from "tiktoken";
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";

const [bench, proseFile, codeFile] = process.argv.slice(2);
if (!bench || !proseFile || !codeFile) {
  console.error("usage: node compare.mjs BENCH_BINARY PROSE_FILE CODE_FILE");
  process.exit(2);
}
const MB = 1 << 20;
const inputs = { Prose: readFileSync(proseFile, "utf8"), Code: readFileSync(codeFile, "utf8") };

// tiktoken: best of several timed runs after a warm-up, encode_ordinary.
function tiktokenRate(enc, text) {
  const bytes = Buffer.byteLength(text, "utf8");
  let tokens = enc.encode_ordinary(text).length;
  let best = Infinity;
  for (let rep = 0; rep < 5; rep++) {
    const t0 = process.hrtime.bigint();
    tokens = enc.encode_ordinary(text).length;
    const dt = Number(process.hrtime.bigint() - t0) / 1e9;
    best = Math.min(best, dt);
  }
  return { mbps: bytes / MB / best, tokens };
}

const loadStart = process.hrtime.bigint();
const encoders = {};
const loadMs = {};
for (const name of ["o200k_base", "cl100k_base"]) {
  const t0 = process.hrtime.bigint();
  encoders[name] = get_encoding(name);
  loadMs[name] = Number(process.hrtime.bigint() - t0) / 1e6;
}
void loadStart;

const out = execFileSync(bench, ["--benchmark_format=json", "--benchmark_repetitions=3",
  "--benchmark_report_aggregates_only=false", "--benchmark_filter=Encode|Load"], {
  env: { ...process.env, CTXBENCH_BENCH_PROSE: proseFile, CTXBENCH_BENCH_CODE: codeFile },
  maxBuffer: 64 * MB,
});
const ours = {};
for (const b of JSON.parse(out.toString()).benchmarks) {
  if (b.run_type !== "iteration") continue;
  const key = b.run_name ?? b.name;
  const prev = ours[key];
  // Best of the repetitions, as for tiktoken.
  if (b.bytes_per_second !== undefined) {
    const mbps = b.bytes_per_second / MB;
    if (!prev || mbps > prev.mbps) ours[key] = { mbps, tokens: b.tokens };
  } else {
    const ms = b.real_time;  // benchmark unit is ms
    if (!prev || ms < prev.ms) ours[key] = { ms };
  }
}

console.log("input   encoding      bytes      tokens   tiktoken MB/s  ctxbench MB/s  ratio");
let ok = true;
for (const [kind, text] of Object.entries(inputs)) {
  for (const name of ["o200k_base", "cl100k_base"]) {
    const t = tiktokenRate(encoders[name], text);
    const c = ours[`BM_Encode${kind}/${name}`];
    if (c.tokens !== t.tokens) ok = false;
    console.log(`${kind.padEnd(7)} ${name.padEnd(12)} ${String(Buffer.byteLength(text)).padStart(8)} ` +
      `${String(t.tokens).padStart(10)} ${t.mbps.toFixed(1).padStart(14)} ${c.mbps.toFixed(1).padStart(14)} ` +
      `${(c.mbps / t.mbps).toFixed(1).padStart(6)}x` + (c.tokens !== t.tokens ? `  TOKEN COUNT DIFFERS (ours ${c.tokens})` : ""));
  }
}
for (const name of ["o200k_base", "cl100k_base"]) {
  const c = ours[`BM_LoadRankFile/${name}`];
  console.log(`load ${name}: ctxbench ${c.ms.toFixed(1)} ms (read + SHA-256 + parse); ` +
    `tiktoken get_encoding ${loadMs[name].toFixed(1)} ms (bundled ranks, no hash check)`);
}
for (const enc of Object.values(encoders)) enc.free();
if (!ok) {
  console.error("token counts differ between tiktoken and ctxbench");
  process.exit(1);
}
