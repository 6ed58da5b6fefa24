// Generates src/llm/tokenizer/testdata/corpus.json: a corpus of tricky texts
// with the token ids the npm `tiktoken` package (tiktoken's Rust core compiled
// to WASM) gives for cl100k_base and o200k_base. Run once when the corpus
// changes; the C++ tests read the committed JSON and need neither node nor
// the network.
//
//   cd bench/tokenizer && npm install && node gen_corpus.mjs
//
// Texts are stored as hex bytes so invalid UTF-8 survives JSON. tiktoken
// encodes strings, so bytes are first decoded with TextDecoder (invalid
// sequences become U+FFFD), which is what ctxbench's encoder must match.
import { get_encoding } from "tiktoken";
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import path from "node:path";

const here = path.dirname(fileURLToPath(import.meta.url));
const out = path.join(here, "../../src/llm/tokenizer/testdata/corpus.json");

const utf8 = (s) => Buffer.from(s, "utf8");
const samples = [];
const add = (name, bytes) => samples.push({ name, bytes: Buffer.isBuffer(bytes) ? bytes : utf8(bytes) });

add("english", `The quick brown fox jumps over the lazy dog. It wasn't the first time; the dog didn't care.
Context budgets are the independent variable of every experiment ctxbench runs, so the harness
must count tokens exactly as OpenAI's models do -- offline, before each call.

"Quoted," she said. (Parenthetical.) [Bracketed] {braced} -- em—dash… ellipsis… ‘curly’ “quotes”.`);
add("cpp", `#include <vector>
namespace ctxbench {
template <typename T>
int Count(const std::vector<T>& xs) {  // counts things
  int n = 0;
  for (const auto& x : xs) n += x.size() > 0 ? 1 : 0;
  return n;
}
}  // namespace ctxbench
\tif (a != b && c <= d || e >>= 2) { return -1; }
`);
add("python", `def byte_pair_merge(ranks: dict[bytes, int], piece: bytes) -> list[int]:
    parts = [(i, ranks.get(piece[i:i + 2], 2**31)) for i in range(len(piece) - 1)]
    while True:
        if not parts:
            break  # nothing left
    return [p[0] for p in parts]


class Foo(object):
    """Docstring with 'quotes' and \\"escapes\\"."""
    x = {'a': 1, "b": [1, 2, 3]}
`);
add("json", JSON.stringify({ model: "gpt-4o", messages: [{ role: "user", content: "Hi!\nNew line\ttab" }],
  temperature: 0.7, max_tokens: 1024, tools: [{ type: "function", function: { name: "run_experiment",
  parameters: { type: "object", properties: { lr: { type: "number" } } } } }] }, null, 2));
add("json_compact", '{"a":1,"b":[true,false,null],"c":"\\u00e9\\n","d":-1.5e-10}');
add("chinese", "上下文预算是每个实验的自变量。机器学习实验：数据、指标、基线。");
add("japanese", "こんにちは、世界！カタカナとひらがなと漢字。ｶﾀｶﾅ（半角）。");
add("korean", "안녕하세요, 세상! 오늘 기분이 어때요?");
add("arabic", "مرحبا بالعالم! كيف حالك اليوم؟ النص العربي مع أرقام ١٢٣٤٥ و 12345.");
add("hebrew_rtl_mix", "שלום world עולם 123 ‏mixed‎ direction");
add("hindi_thai", "नमस्ते दुनिया। สวัสดีชาวโลก ภาษาไทย");
add("russian", "Привет, мир! Как дела? ЗАГЛАВНЫЕ и строчные. ЁЖИК");
add("emoji", "👍🏽 👨‍👩‍👧‍👦 🇺🇳🇯🇵 ❤️ 🤖🔥💯 a😀b 😀😀😀");
add("combining", "e\u0301 o\u0308 n\u0303 A\u030A Z\u0335\u0321 \u0915\u094D\u0937");
add("whitespace_unusual", "a\u0085b\u00a0c\u3000d\u2028e\u2029f\u180eg\u1680h\u2003i\u202fj\u205fk\u200bl");
add("whitespace_runs", "  leading\t\ttabs\n\n\ntrailing   \r\n\r\nend \n \n  \u00a0\u00a0x \u3000\u3000y   ");
add("whitespace_only", " \t\n \u00a0 \u3000\u0085  ");
add("newline_before_punct", "x\n\n!!\n\n  ?? \n\t//comment\n/ path/to/file\n");
add("contractions", "I'M you'RE he'S it'd WE'LL they'Ve DON'T can'T I'm I'd 's 'S 'LL 'lL ' s x'\u017f y'K");
add("contractions_curly", "it’s don’t I’M rock'n'roll O'Neil ''s '''");
add("digits", "1 12 123 1234 12345 123456 1234567890 3.14159 1,000,000 0x1F 1e-10 007 ٣٤٥ ²³ Ⅻ ½");
add("mixed_case", "HelloWorld camelCaseXMLParser HTTPServer iPhone McDonald's ÉCOLE écOLE ǅungla");
add("special_token_text", "before <|endoftext|> after <|endofprompt|> <|fim_prefix|>x<|fim_suffix|>");
add("urls_paths", "https://example.com/a/b?c=d&e=f#g /usr/local/bin/ C:\\Windows\\System32 ~/.config/ctxbench.json");
add("markdown", "# Title\n\n- item **bold** _it_ `code`\n\n```cpp\nint x = 0;\n```\n| a | b |\n|---|---|\n| 1 | 2 |\n");
add("long_word", "Pneumonoultramicroscopicsilicovolcanoconiosis supercalifragilisticexpialidocious " + "abc".repeat(40));
add("repeat_space_1000", " ".repeat(1000));
add("repeat_a_1000", "a".repeat(1000));
add("repeat_newline_300", "\n".repeat(300));
add("repeat_mixed", "ab ".repeat(200) + "!?".repeat(150) + "\u00e9".repeat(200));
add("invalid_lone_bytes", Buffer.concat([utf8("ok "), Buffer.from([0xff, 0xfe, 0x80]), utf8(" ok")]));
add("invalid_truncated", Buffer.concat([utf8("abc"), Buffer.from([0xe4, 0xb8]), utf8("def"), Buffer.from([0xf0, 0x9f, 0x8c])]));
add("invalid_surrogate_overlong", Buffer.concat([Buffer.from([0xed, 0xa0, 0x80, 0x20, 0xc0, 0xaf, 0xe0, 0x80, 0x80]), utf8("x")]));
add("invalid_in_word", Buffer.concat([utf8("hel"), Buffer.from([0xc3]), utf8("lo w"), Buffer.from([0xa9]), utf8("rld")]));
add("control_chars", "a\u0000b\u0001c\u001fd\u007fe\u000bf\u000cg");
add("empty", "");

// Seeded random strings over a pool of characters that stress the patterns.
const pool = [..."aZ'sStTdD lLmMrReEvV09 \t\n\r.,!?/-_\"'é́Éß\u00a0\u3000\u0085\u2028中文한あ😀👍🏽\u0301\u017fİı١"];
let seed = 0x2545f491;
const rand = () => { seed ^= seed << 13; seed ^= seed >>> 17; seed ^= seed << 5; return (seed >>> 0) / 4294967296; };
for (let i = 0; i < 300; i++) {
  const len = 1 + Math.floor(rand() * 40);
  let s = "";
  for (let k = 0; k < len; k++) s += pool[Math.floor(rand() * pool.length)];
  add(`random_${i}`, s);
}

const encodings = ["cl100k_base", "o200k_base"].map((n) => [n, get_encoding(n)]);
const decoder = new TextDecoder("utf-8", { fatal: false });
const result = samples.map(({ name, bytes }) => {
  const text = decoder.decode(bytes);
  const entry = { name, hex: bytes.toString("hex") };
  for (const [n, enc] of encodings) entry[n] = Array.from(enc.encode_ordinary(text));
  return entry;
});
for (const [, enc] of encodings) enc.free();
writeFileSync(out, JSON.stringify({ generator: "bench/tokenizer/gen_corpus.mjs", tiktoken: "npm tiktoken 1.0.22", samples: result }, null, 0).replace(/\},\{/g, "},\n{") + "\n");
console.log(`wrote ${result.length} samples to ${path.relative(process.cwd(), out)}`);
