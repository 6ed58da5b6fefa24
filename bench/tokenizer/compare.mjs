// Side-by-side encode throughput: npm `tiktoken` (Rust core compiled to WASM)
// in this process vs ctxbench's C++ tokenizer (ctxbench_bench_tokenizer, a
// Google Benchmark binary) on the same input files, single-threaded.
//
//   node compare.mjs BENCH_BINARY PROSE_FILE CODE_FILE
//
// Prints MB/s from wall time (1 MB = 2^20 bytes) for both, the median of the
// per-round ratio (rounds interleave the two sides), and checks both produce
// the same number of tokens.
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

const encoders = {};
const loadMs = {};
for (const name of ["o200k_base", "cl100k_base"]) {
  const t0 = process.hrtime.bigint();
  encoders[name] = get_encoding(name);
  loadMs[name] = Number(process.hrtime.bigint() - t0) / 1e6;
}

const ROUNDS = 5;
const bytesOf = Object.fromEntries(Object.entries(inputs).map(([k, t]) => [k, Buffer.byteLength(t, "utf8")]));

// tiktoken: one timed encode_ordinary of each input with each encoding (wall time).
function tiktokenRound() {
  const r = {};
  for (const [kind, text] of Object.entries(inputs)) {
    for (const name of ["o200k_base", "cl100k_base"]) {
      const t0 = process.hrtime.bigint();
      const tokens = encoders[name].encode_ordinary(text).length;
      const dt = Number(process.hrtime.bigint() - t0) / 1e9;
      r[`BM_Encode${kind}/${name}`] = { mbps: bytesOf[kind] / MB / dt, tokens };
    }
  }
  return r;
}

// ctxbench: one Google Benchmark run of every encode and load benchmark. MB/s
// from real (wall) time, as for tiktoken: Google Benchmark's own
// bytes_per_second is taken from CPU time, which flatters a loaded machine.
function ctxbenchRound() {
  const out = execFileSync(bench, ["--benchmark_format=json", "--benchmark_filter=Encode|Load"], {
    env: { ...process.env, CTXBENCH_BENCH_PROSE: proseFile, CTXBENCH_BENCH_CODE: codeFile },
    maxBuffer: 64 * MB,
  });
  const r = {};
  for (const b of JSON.parse(out.toString()).benchmarks) {
    if (b.run_type !== "iteration") continue;
    const key = b.run_name ?? b.name;
    const ms = b.real_time;  // benchmark unit is ms
    const kind = key.startsWith("BM_EncodeProse") ? "Prose" : key.startsWith("BM_EncodeCode") ? "Code" : null;
    r[key] = kind ? { mbps: bytesOf[kind] / MB / (ms / 1000), tokens: b.tokens } : { ms };
  }
  return r;
}

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };
// Interleaved: each round runs both sides, the order alternating, so both
// sides of a pair see about the same machine load; the ratio is per pair.
for (const [, text] of Object.entries(inputs)) for (const e of Object.values(encoders)) e.encode_ordinary(text);  // warm-up
const theirs = [], ours = [];
for (let round = 0; round < ROUNDS; round++) {
  if (round % 2 === 0) { theirs.push(tiktokenRound()); ours.push(ctxbenchRound()); }
  else { ours.push(ctxbenchRound()); theirs.push(tiktokenRound()); }
}

console.log(`wall time on both sides; ${ROUNDS} interleaved rounds; medians`);
console.log("input   encoding      bytes      tokens   tiktoken MB/s  ctxbench MB/s  ratio (per pair, median)");
let ok = true;
for (const kind of Object.keys(inputs)) {
  for (const name of ["o200k_base", "cl100k_base"]) {
    const key = `BM_Encode${kind}/${name}`;
    const t = theirs.map((r) => r[key]), c = ours.map((r) => r[key]);
    const tokens = t[0].tokens, ourTokens = c[0].tokens;
    if (tokens !== ourTokens) ok = false;
    const ratio = median(c.map((x, i) => x.mbps / t[i].mbps));
    console.log(`${kind.padEnd(7)} ${name.padEnd(12)} ${String(bytesOf[kind]).padStart(8)} ` +
      `${String(tokens).padStart(10)} ${median(t.map((x) => x.mbps)).toFixed(1).padStart(14)} ` +
      `${median(c.map((x) => x.mbps)).toFixed(1).padStart(14)} ${ratio.toFixed(1).padStart(6)}x` +
      (tokens !== ourTokens ? `  TOKEN COUNT DIFFERS (ours ${ourTokens})` : ""));
  }
}
for (const name of ["o200k_base", "cl100k_base"]) {
  const c = { ms: median(ours.map((r) => r[`BM_LoadRankFile/${name}`].ms)) };
  console.log(`load ${name}: ctxbench ${c.ms.toFixed(1)} ms (read + SHA-256 + parse); ` +
    `tiktoken get_encoding ${loadMs[name].toFixed(1)} ms (bundled ranks, no hash check)`);
}
for (const enc of Object.values(encoders)) enc.free();
if (!ok) {
  console.error("token counts differ between tiktoken and ctxbench");
  process.exit(1);
}
