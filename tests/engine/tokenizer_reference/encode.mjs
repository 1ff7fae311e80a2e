// Regenerates the tokenizer golden files in tests/data/tokenizer/ from Hugging Face `tokenizers` (the Rust
// library through its official Node binding, pinned in package.json). CI never runs this: the outputs are
// committed. Usage (see docs/development.md):
//   cd tests/engine/tokenizer_reference && npm ci && node encode.mjs [path/to/shared/data/qwen3-tokenizer]
//
// Outputs:
//   qwen3_golden.jsonl          {"text", "ids"} for the real Qwen3 tokenizer: hand-written cases, Unicode
//                               sweeps (every canonical decomposition in NFD form, combining-mark
//                               reordering) and seeded random strings mixing scripts, emoji, whitespace...
//   qwen3_decode_golden.jsonl   {"ids", "skip_special", "text"}: decoding random id sequences (partial UTF-8)
//   unicode_reference.json      which code points Oniguruma puts in \p{L}, \p{N}, \s, and the NFC/NFKC of
//                               every code point that the normalizers change
//   synthetic/*.json            small tokenizers in the styles of Llama 2, Mistral, GPT-2/OLMoE, Llama 3,
//                               built from Qwen3's first merges, with *_golden.jsonl files
//                               ({"text", "ids", "ids_special", "decoded"})
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import tk from 'tokenizers';

const here = path.dirname(fileURLToPath(import.meta.url));
const outDir = path.resolve(here, '../../data/tokenizer');
const qwenDir = path.resolve(process.argv[2] ?? path.resolve(here, '../../../../shared/data/qwen3-tokenizer'));
fs.mkdirSync(path.join(outDir, 'synthetic'), { recursive: true });

// ---- seeded randomness (mulberry32) -------------------------------------------------------------------
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const rand = rng(20250101);
const pick = (xs) => xs[Math.floor(rand() * xs.length)];
const int = (lo, hi) => lo + Math.floor(rand() * (hi - lo + 1));
const cp = (c) => String.fromCodePoint(c);

// ---- corpus ---------------------------------------------------------------------------------------------
const handwritten = [
  '', ' ', '  ', '\n', '\r\n', '\t', 'Hello world!', 'Hello, world! How are you doing today?',
  'The quick brown fox jumps over the lazy dog.\nThe end.\n',
  "I'm sure you'll see they've done what we'd said: it's John's.",
  "DON'T SHOUT, I'LL HEAR YOU. IT'S FINE. WE'VE 'S 'T 'Re 'vE 'M 'Ll 'D",
  "'s 'S 'ſ 'ß 'K 'ﬆ x's y'S z'LL", 'don’t won’t it’s',
  'def f(x):\n    return x ** 2  # square\n\n\nclass A:\n\tpass\n',
  'for (int i = 0; i < n; ++i) { sum += a[i]; }\r\n', '    indented\n        more\n',
  'trailing spaces   ', '   leading spaces', 'a  b   c    d     e', 'tab\t\tseparated\tvalues',
  'line1\nline2\r\nline3\rline4\n\n\n', ' \n \n ', '\u00a0\u2003\u3000 mixed\u2009spaces\u202f',
  '12345678901234567890', '3.14159265358979', '1,000,000 and 2024-06-01', '٣٤٥ ۱۲۳ १२३ 一二三',
  'Emoji: 😀😃😄 👍🏽 👩‍👩‍👧‍👦 👨🏿‍💻 🏳️‍🌈 🇺🇸🇯🇵 1️⃣ ❤️ 🤷🏽‍♀️',
  '中文测试：你好，世界！这是一个句子。', '日本語のテキスト、カタカナとひらがな。', '한국어 텍스트입니다. 안녕하세요!',
  'العربية: مرحبا بالعالم، كيف حالك؟', 'हिन्दी: नमस्ते दुनिया, आप कैसे हैं?', 'Ελληνικά και Русский текст',
  'e\u0301 a\u0308 o\u0302\u0323 A\u030a \u1100\u1161\u11a8 \u0915\u093c', 'n\u0303o\u0301 cafe\u0301',
  'Z\u0351\u036b\u0343\u036a\u0302\u036b\u033d\u034f\u0334\u0319\u0324\u031e\u0349\u035a\u032f\u031e\u0320\u034dA\u036b\u0357\u0334\u0362\u0335\u031c\u0330\u0354L\u0368\u0367\u0369\u0358\u0320G\u0311\u0357\u030e\u0305\u035b\u0341\u0334\u033b\u0348\u034d\u0354\u0339O',
  '<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n', '<|endoftext|>', 'a<|endoftext|>b',
  '<think>\nreasoning\n</think>\n\nanswer', '<|im_start|><|im_start|>', '<|im_start', '<|endoftext|', 'im_start|>',
  '<tool_call>{"name": "f"}</tool_call>', '<|fim_prefix|>x<|fim_suffix|>y<|fim_middle|>',
  '\ufffd\ufffe\uffff \u{10ffff} \ue000 \u200b\u200c\u200d \u00ad', '\u0007\u001b[31mred\u001b[0m',
  'https://example.com/path?query=1&b=2#frag', 'email@example.org', '$100.00 €50 ¥1000 £5',
  '((()))[[[]]]{{{}}}<<<>>>', '!!!???...---___***', '🀄🃏🎴', 'ｆｕｌｌｗｉｄｔｈ　ＡＢＣ１２３', 'ﬁﬂ ½ ² ㎏ Ⅻ',
  '\u{2ebf0}\u{31350}\u{11f04}\u{1e5d0}\u{10d50}', 'x'.repeat(300), 'ab'.repeat(200), '9'.repeat(100), ' '.repeat(50) + 'x',
];

const pools = {
  ascii: 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ'.split(''),
  digits: '0123456789'.split(''),
  punct: '!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~'.split(''),
  ws: [' ', ' ', ' ', '\t', '\n', '\r\n', '\r', '\u00a0', '\u3000', '\u2028', '\u0085', '\u000b', '\u000c', '\u2009'],
  contractions: ["'s", "'S", "'t", "'T", "'re", "'RE", "'Re", "'ve", "'VE", "'m", "'M", "'ll", "'LL", "'lL", "'d", "'D", "'ſ", '’s'],
  emoji: ['😀', '👍', '👍🏻', '👍🏿', '👩‍💻', '👨‍👩‍👧', '🏳️‍🌈', '🇫🇷', '#️⃣', '❤️', '✨', '🧑🏽‍🚀', '🫠', '🤌🏼'],
  cjk: () => cp(pick([[0x4e00, 0x9fff], [0x3400, 0x4dbf], [0x20000, 0x2a6df], [0x3040, 0x309f], [0x30a0, 0x30ff], [0xff01, 0xff5e]].map(([a, b]) => int(a, b)))),
  hangul: () => (rand() < 0.7 ? cp(int(0xac00, 0xd7a3)) : cp(int(0x1100, 0x1112)) + cp(int(0x1161, 0x1175)) + (rand() < 0.5 ? cp(int(0x11a8, 0x11c2)) : '')),
  arabic: () => cp(int(0x0621, 0x064a)) + (rand() < 0.4 ? cp(int(0x064b, 0x0652)) : ''),
  hindi: () => cp(int(0x0905, 0x0939)) + (rand() < 0.3 ? '\u093c' : '') + (rand() < 0.5 ? cp(int(0x093e, 0x094d)) : ''),
  marks: () => pick('aeiouAEIOUnNcC'.split('')) + Array.from({ length: int(1, 3) }, () => cp(pick([0x0300, 0x0301, 0x0302, 0x0303, 0x0308, 0x030a, 0x0323, 0x0327, 0x0328, 0x031b, 0x0345, 0x05b0, 0x093c, 0x0f71]))).join(''),
  nfd: () => pick(['é', 'ñ', 'ö', 'Å', 'ệ', 'ǘ', 'Ḝ', '가', '각', 'ﬁ', 'Ω', 'Å']).normalize('NFD'),
  special: ['<|im_start|>', '<|im_end|>', '<|endoftext|>', '<think>', '</think>', '<tool_call>', '<|im_start', '|>', '<|', '<think'],
  any: () => {
    for (;;) {
      const c = int(0x20, rand() < 0.8 ? 0xffff : 0x10ffff);
      if (c >= 0xd800 && c <= 0xdfff) continue;
      return cp(c);
    }
  },
};
function randomText() {
  const kinds = Object.keys(pools);
  const n = int(1, 40);
  let s = '';
  for (let i = 0; i < n; i++) {
    const k = pick(kinds);
    const p = pools[k];
    const reps = k === 'digits' || k === 'ascii' ? int(1, 12) : int(1, 3);
    for (let r = 0; r < reps; r++) s += typeof p === 'function' ? p() : pick(p);
  }
  return s;
}

// Unicode sweeps: every canonical decomposition given in NFD (the normalizer must recompose it), and
// every combining mark between two others of different classes (canonical reordering).
function sweeps() {
  const out = [];
  let group = [];
  const flush = () => { if (group.length) out.push(group.join(' ')); group = []; };
  for (let c = 0xa0; c <= 0x2ffff; c++) {
    if (c >= 0xd800 && c <= 0xdfff) continue;
    const s = cp(c);
    const d = s.normalize('NFD');
    if (d !== s) { group.push(d); if (group.length === 12) flush(); }
  }
  flush();
  for (let c = 0x300; c <= 0x1ffff; c++) {
    if (!/\p{M}/u.test(cp(c))) continue;
    group.push('x\u0301' + cp(c) + '\u0323'); if (group.length === 12) flush();
  }
  flush();
  return out;
}

const writeJsonl = (file, rows) => fs.writeFileSync(path.join(outDir, file), rows.map((r) => JSON.stringify(r)).join('\n') + '\n');

// ---- Qwen3 -----------------------------------------------------------------------------------------------
const qwenJson = fs.readFileSync(path.join(qwenDir, 'tokenizer.json'), 'utf8');
const qwen = tk.Tokenizer.fromString(qwenJson);
const randomTexts = Array.from({ length: 3000 }, randomText);
const corpus = [...handwritten, ...sweeps(), ...randomTexts];
const qwenRows = [];
for (const text of corpus) {
  const enc = await qwen.encode(text, null, { addSpecialTokens: false });
  qwenRows.push({ text, ids: Array.from(enc.getIds()) });
}
writeJsonl('qwen3_golden.jsonl', qwenRows);

const decodeRows = [];
const vocabSize = qwen.getVocabSize(true);
for (let i = 0; i < 400; i++) {
  const ids = Array.from({ length: int(1, 12) }, () => (rand() < 0.1 ? int(151643, vocabSize - 1) : int(0, 151642)));
  const skip = rand() < 0.5;
  decodeRows.push({ ids, skip_special: skip, text: await qwen.decode(ids, skip) });
}
writeJsonl('qwen3_decode_golden.jsonl', decodeRows);

// ---- Unicode classes as Oniguruma sees them, and the normalizers on every code point --------------------
function classRanges(pattern) {
  const probe = JSON.parse(qwenJson);
  probe.pre_tokenizer = { type: 'Split', pattern: { Regex: pattern }, behavior: 'Isolated', invert: false };
  const pre = tk.Tokenizer.fromString(JSON.stringify(probe)).getPreTokenizer();
  const members = new Set();
  for (let start = 1; start <= 0x10ffff; start += 4096) {
    const chars = [];
    for (let c = start; c < Math.min(start + 4096, 0x110000); c++) if (c < 0xd800 || c > 0xdfff) chars.push(cp(c));
    // Each character isolated between two '\u0001' so that matches cannot merge neighbours.
    for (const [piece] of pre.preTokenizeString(chars.join('\u0001'))) {
      const c = piece.codePointAt(0);
      if (piece.length <= 2 && piece === cp(c) && c !== 1) members.add(c);
    }
  }
  const sorted = [...members].sort((a, b) => a - b);
  const ranges = [];
  for (const c of sorted) {
    if (ranges.length && ranges[ranges.length - 1][1] === c - 1) ranges[ranges.length - 1][1] = c;
    else ranges.push([c, c]);
  }
  return ranges;
}
function normalizerDiffs(norm) {
  const diffs = [];
  for (let start = 2; start <= 0x10ffff; start += 4096) {
    const cps = [];
    for (let c = start; c < Math.min(start + 4096, 0x110000); c++) if (c < 0xd800 || c > 0xdfff) cps.push(c);
    const out = norm.normalizeString(cps.map(cp).join('\u0001')).split('\u0001');
    cps.forEach((c, i) => { if (out[i] !== cp(c)) diffs.push([c, out[i]]); });
  }
  return diffs;
}
fs.writeFileSync(path.join(outDir, 'unicode_reference.json'), JSON.stringify({
  source: 'tokenizers@0.23.2 (Oniguruma classes, unicode-normalization-alignments)',
  letter: classRanges('\\p{L}'),
  number: classRanges('\\p{N}'),
  space: classRanges('\\s'),
  nfc: normalizerDiffs(tk.nfcNormalizer()),
  nfkc: normalizerDiffs(tk.nfkcNormalizer()),
}) + '\n');

// ---- Synthetic tokenizers in other families' styles ------------------------------------------------------
const qwenSpec = JSON.parse(qwenJson);
const byteToChar = {};
{
  let n = 256;
  for (let b = 0; b < 256; b++) {
    const printable = (b >= 33 && b <= 126) || (b >= 161 && b <= 172) || (b >= 174 && b <= 255);
    byteToChar[b] = String.fromCodePoint(printable ? b : n++);
  }
}
const charToByte = Object.fromEntries(Object.entries(byteToChar).map(([b, c]) => [c, Number(b)]));
const firstMerges = qwenSpec.model.merges.slice(0, 3000).map((m) => (Array.isArray(m) ? m : m.split(' ')));

function byteLevelModel() {
  const vocab = {};
  for (let b = 0; b < 256; b++) vocab[byteToChar[b]] = b;
  const merges = [];
  for (const [a, b] of firstMerges) {
    if (!(a in vocab) || !(b in vocab)) continue;
    if (!((a + b) in vocab)) vocab[a + b] = Object.keys(vocab).length;
    merges.push([a, b]);
  }
  return { vocab, merges };
}
function sentencePieceModel() {
  const decode = (t) => {
    const bytes = Uint8Array.from([...t].map((c) => charToByte[c]));
    const s = new TextDecoder('utf-8', { fatal: true });
    try { return s.decode(bytes).replaceAll(' ', '▁'); } catch { return null; }
  };
  const vocab = { '<unk>': 0, '<s>': 1, '</s>': 2 };
  for (let b = 0; b < 256; b++) vocab['<0x' + b.toString(16).toUpperCase().padStart(2, '0') + '>'] = 3 + b;
  for (const c of '▁abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.,!?\'"-:;()\n\té') vocab[c] ??= Object.keys(vocab).length;
  const merges = [];
  for (const m of firstMerges) {
    const [a, b] = m.map(decode);
    if (a === null || b === null || !(a in vocab) || !(b in vocab)) continue;
    if (!((a + b) in vocab)) vocab[a + b] = Object.keys(vocab).length;
    merges.push(`${a} ${b}`);  // the "a b" string form
  }
  return { vocab, merges };
}
const added = (id, content, special, extra = {}) => ({ id, content, single_word: false, lstrip: false, rstrip: false, normalized: !special, special, ...extra });
const bpe = (m, extra) => ({ type: 'BPE', dropout: null, unk_token: null, continuing_subword_prefix: null, end_of_word_suffix: null, fuse_unk: false, byte_fallback: false, ignore_merges: false, ...m, ...extra });

const sp = sentencePieceModel();
const spNext = Object.keys(sp.vocab).length;
const bl = byteLevelModel();
const blNext = Object.keys(bl.vocab).length;
const template = (before, after, tokens) => ({
  type: 'TemplateProcessing',
  single: [...before.map((id) => ({ SpecialToken: { id, type_id: 0 } })), { Sequence: { id: 'A', type_id: 0 } }, ...after.map((id) => ({ SpecialToken: { id, type_id: 0 } }))],
  pair: [{ Sequence: { id: 'A', type_id: 0 } }, { Sequence: { id: 'B', type_id: 1 } }],
  special_tokens: Object.fromEntries(tokens.map(([t, id]) => [t, { id: t, ids: [id], tokens: [t] }])),
});
const spAdded = [added(0, '<unk>', true, { normalized: false }), added(1, '<s>', true, { normalized: false }), added(2, '</s>', true, { normalized: false }),
  added(spNext, '[INST]', true, { normalized: false, lstrip: true, rstrip: true }), added(spNext + 1, '<mask>', false, { single_word: true }),
  added(spNext + 2, 'Hello', false, { normalized: true })];
const synthetic = {
  llama2_style: {
    version: '1.0', truncation: null, padding: null, added_tokens: spAdded,
    normalizer: { type: 'Sequence', normalizers: [{ type: 'Prepend', prepend: '▁' }, { type: 'Replace', pattern: { String: ' ' }, content: '▁' }] },
    pre_tokenizer: null,
    post_processor: template(['<s>'], [], [['<s>', 1]]),
    decoder: { type: 'Sequence', decoders: [{ type: 'Replace', pattern: { String: '▁' }, content: ' ' }, { type: 'ByteFallback' }, { type: 'Fuse' }, { type: 'Strip', content: ' ', start: 1, stop: 0 }] },
    model: bpe(sp, { unk_token: '<unk>', fuse_unk: true, byte_fallback: true }),
  },
  mistral_style: {
    version: '1.0', truncation: null, padding: null, added_tokens: spAdded.slice(0, 4),
    normalizer: null,
    pre_tokenizer: { type: 'Metaspace', replacement: '▁', prepend_scheme: 'first', split: false },
    post_processor: template(['<s>'], [], [['<s>', 1]]),
    decoder: { type: 'Metaspace', replacement: '▁', prepend_scheme: 'first', split: false },
    model: bpe(sp, { unk_token: '<unk>', byte_fallback: true }),
  },
  gpt2_style: {
    version: '1.0', truncation: null, padding: null,
    added_tokens: [added(blNext, '<|endoftext|>', true), added(blNext + 1, '<|padding|>', true), added(blNext + 2, ' world', false, { rstrip: true })],
    normalizer: { type: 'NFC' },
    pre_tokenizer: { type: 'ByteLevel', add_prefix_space: true, trim_offsets: true, use_regex: true },
    post_processor: template([], ['<|endoftext|>'], [['<|endoftext|>', blNext]]),
    decoder: { type: 'ByteLevel', add_prefix_space: true, trim_offsets: true, use_regex: true },
    model: bpe(bl),
  },
  llama3_style: {
    version: '1.0', truncation: null, padding: null,
    added_tokens: [added(blNext, '<|begin_of_text|>', true), added(blNext + 1, '<|eot_id|>', true)],
    normalizer: null,
    pre_tokenizer: { type: 'Sequence', pretokenizers: [
      { type: 'Split', pattern: { Regex: "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+" }, behavior: 'Isolated', invert: false },
      { type: 'ByteLevel', add_prefix_space: false, trim_offsets: true, use_regex: false }] },
    post_processor: { type: 'Sequence', processors: [{ type: 'ByteLevel', add_prefix_space: true, trim_offsets: false, use_regex: true }, template(['<|begin_of_text|>'], [], [['<|begin_of_text|>', blNext]])] },
    decoder: { type: 'ByteLevel', add_prefix_space: true, trim_offsets: true, use_regex: true },
    model: bpe(bl, { ignore_merges: true }),
  },
};
const syntheticCorpus = [...handwritten, 'Hello Hello hello HELLO', '[INST] hi [/INST]  [INST]x', '<mask> a<mask> <mask>b <mask>', ' world world  world\t!',
  '<s>a</s><s> b', '<|begin_of_text|><|eot_id|>hi', ...randomTexts.slice(0, 300)];
for (const [name, spec] of Object.entries(synthetic)) {
  const json = JSON.stringify(spec);
  fs.writeFileSync(path.join(outDir, 'synthetic', name + '.json'), json + '\n');
  const t = tk.Tokenizer.fromString(json);
  const rows = [];
  for (const text of syntheticCorpus) {
    const ids = Array.from((await t.encode(text, null, { addSpecialTokens: false })).getIds());
    const idsSpecial = Array.from((await t.encode(text, null, { addSpecialTokens: true })).getIds());
    rows.push({ text, ids, ids_special: idsSpecial, decoded: await t.decode(ids, false) });
  }
  writeJsonl(path.join('synthetic', name + '_golden.jsonl'), rows);
}
console.log(`qwen3: ${qwenRows.length} encode cases, ${decodeRows.length} decode cases; synthetic: ${Object.keys(synthetic).length} x ${syntheticCorpus.length}`);
