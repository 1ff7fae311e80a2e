// Regenerates tests/data/tokenizer/chat_golden.jsonl: conversations rendered by @huggingface/jinja (a
// Jinja implementation that follows transformers' apply_chat_template) from the real Qwen3
// tokenizer_config.json template and from the [INST] (Mixtral-Instruct v0.1) and Tulu (OLMoE-Instruct)
// templates and plain ChatML in tests/data/tokenizer/chat/. Usage: node chat.mjs [path/to/shared/data/qwen3-tokenizer]
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Template } from '@huggingface/jinja';

const here = path.dirname(fileURLToPath(import.meta.url));
const dataDir = path.resolve(here, '../../data/tokenizer');
const qwenDir = path.resolve(process.argv[2] ?? path.resolve(here, '../../../../shared/data/qwen3-tokenizer'));
const qwenConfig = JSON.parse(fs.readFileSync(path.join(qwenDir, 'tokenizer_config.json'), 'utf8'));

const templates = {
  qwen3: { source: qwenConfig.chat_template, bos_token: '', eos_token: qwenConfig.eos_token },
  mistral_inst: { source: fs.readFileSync(path.join(dataDir, 'chat/mistral_inst.jinja'), 'utf8'), bos_token: '<s>', eos_token: '</s>' },
  olmoe_tulu: { source: fs.readFileSync(path.join(dataDir, 'chat/olmoe_tulu.jinja'), 'utf8'), bos_token: '', eos_token: '<|endoftext|>' },
  chatml: { source: fs.readFileSync(path.join(dataDir, 'chat/chatml.jinja'), 'utf8'), bos_token: '', eos_token: '<|im_end|>' },
};

const u = (content) => ({ role: 'user', content });
const a = (content, extra = {}) => ({ role: 'assistant', content, ...extra });
const s = (content) => ({ role: 'system', content });
const conversations = {
  qwen3: [
    [u('Hello!')],
    [s('You are terse.'), u('What is 2+2?')],
    [u('Hi'), a('Hello! How can I help?'), u('Tell me a joke.')],
    [u('Hi'), a('<think>\nThe user greets.\n</think>\n\nHello!'), u('Again?')],
    [u('Hi'), a('<think>\nreasoning\n</think>\n\nHello!')],
    [u('Q1'), a('A1', { reasoning_content: 'thought 1' }), u('Q2'), a('A2', { reasoning_content: 'thought 2' })],
    [s('sys'), u('Q'), s('late system'), a('\n\nanswer with newlines\n')],
    [u('Unicode: 한국어 😀 e\u0301'), a(''), u('')],
    [u('call a tool'), a('', {}), { role: 'tool', content: '{"result": 4}' }, { role: 'tool', content: 'second' }, u('<tool_response>x</tool_response>')],
  ],
  mistral_inst: [[u('Hello!')], [u('Hi'), a('Hello! How can I help?'), u('Tell me a joke.')], [u(' spaced '), a(' reply ')]],
  olmoe_tulu: [[u('Hello!')], [s('Be brief.'), u('Hi'), a('Hello!'), u('Bye')], [u('Hi'), a('Hello!')]],
  chatml: [[u('Hello!')], [s('sys'), u('Hi'), a('<think>kept as is</think>Hello!'), u('Bye')]],
};

const rows = [];
for (const [name, t] of Object.entries(templates)) {
  const template = new Template(t.source);
  for (const messages of conversations[name]) {
    for (const add_generation_prompt of [true, false]) {
      for (const enable_thinking of name === 'qwen3' ? [null, true, false] : [null]) {
        const vars = { messages, add_generation_prompt, bos_token: t.bos_token, eos_token: t.eos_token };
        if (enable_thinking !== null) vars.enable_thinking = enable_thinking;
        rows.push({ template: name, messages, add_generation_prompt, enable_thinking, rendered: template.render(vars) });
      }
    }
  }
}
fs.writeFileSync(path.join(dataDir, 'chat_golden.jsonl'), rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
console.log(`${rows.length} chat renderings`);
