// Reads the details of an editing request ("add an http block called Fetch after Start") into a graph edit.
// Pure: the caller applies the edit to the draft and validates it.
import { BLOCK_CATALOG, BLOCK_TYPES, type BlockType } from '../../model/blocks.ts';
import type { Direction, Edit } from '../../graph/edit.ts';
import type { StepRef } from './entities.ts';
import { fuzzyFind } from './fuzzy.ts';

export type EditIntent =
  | 'add-block'
  | 'remove-block'
  | 'connect-blocks'
  | 'disconnect-blocks'
  | 'rename-block'
  | 'configure-block'
  | 'move-block';
export type EditReading = { edit: Edit } | { ask: string };

const TYPE_WORDS: Array<[RegExp, BlockType]> = [
  [/\b(http|https|request|webhook|api call|fetch block)\b/, 'http'],
  [/\b(function|code|script|transform|javascript|js)\b/, 'function'],
  [/\b(condition|if|branch|check)\b/, 'condition'],
  [/\b(router|switch|route)\b/, 'router'],
  [/\b(agent|ai|llm|gpt|claude)\b/, 'agent'],
  [/\b(input|question|form)\b/, 'input'],
  [/\b(approval|approve|sign[- ]off)\b/, 'approval'],
  [/\b(wait|delay|sleep|timer)\b/, 'wait'],
  [/\b(loop|for each|foreach|iterate)\b/, 'loop'],
  [/\b(parallel)\b/, 'parallel'],
  [/\b(subworkflow|sub-workflow|sub workflow)\b/, 'subworkflow'],
  [/\b(response|output|result)\b/, 'response'],
];

/** Config keys as people say them; the value is the config path and how to read the value. */
const CONFIG_KEYS: Array<[RegExp, string, 'text' | 'duration' | 'integer' | 'method' | 'json']> = [
  [/^(url|address|endpoint)$/, 'url', 'text'],
  [/^(method|verb)$/, 'method', 'method'],
  [/^(timeout)$/, 'timeoutMs', 'duration'],
  [/^(delay|duration|wait)$/, 'durationMs', 'duration'],
  [/^(retries|retry|attempts|max attempts)$/, 'retry.maxAttempts', 'integer'],
  [/^(code|script)$/, 'code', 'text'],
  [/^(condition|expression)$/, 'expression', 'text'],
  [/^(prompt|question)$/, 'prompt', 'text'],
  [/^(system|system prompt)$/, 'system', 'text'],
  [/^(model)$/, 'model', 'text'],
  [/^(items)$/, 'items', 'text'],
  [/^(concurrency)$/, 'concurrency', 'integer'],
  [/^(body)$/, 'body', 'json'],
  [/^(output)$/, 'output', 'json'],
];

const UNIT_MS: Record<string, number> = {
  ms: 1,
  millisecond: 1,
  s: 1000,
  sec: 1000,
  second: 1000,
  m: 60_000,
  min: 60_000,
  minute: 60_000,
  h: 3_600_000,
  hour: 3_600_000,
  d: 86_400_000,
  day: 86_400_000,
};

export function readEdit(intent: EditIntent, text: string, steps: readonly StepRef[]): EditReading {
  const clean = text.trim().replace(/[.!?]+$/, '');
  switch (intent) {
    case 'add-block':
      return readAdd(clean, steps);
    case 'remove-block':
      return oneStep(clean, steps, 'Which step should I remove?', (nodeId) => ({ op: 'remove', nodeId }));
    case 'connect-blocks':
    case 'disconnect-blocks':
      return readLink(intent, clean, steps);
    case 'rename-block':
      return readRename(clean, steps);
    case 'configure-block':
      return readConfigure(clean, steps);
    case 'move-block':
      return readMove(clean, steps);
  }
}

function findStep(phrase: string, steps: readonly StepRef[]): StepRef | undefined {
  return fuzzyFind(phrase, steps, (s) => [s.name, s.id])[0]?.item;
}

function oneStep(text: string, steps: readonly StepRef[], question: string, make: (id: string) => Edit): EditReading {
  const step = findStep(text, steps);
  return step ? { edit: make(step.id) } : { ask: `${question} The steps are: ${steps.map((s) => s.name).join(', ')}.` };
}

/** The words after "called"/"named", or a quoted name; stops before a position phrase. */
function nameIn(text: string): string | undefined {
  const quoted = /["“']([^"”']{1,200})["”']/.exec(text)?.[1];
  if (quoted) return quoted.trim();
  return /\b(?:called|named)\s+(.+?)(?=\s+(?:after|before|between|at the end)\b|$)/i.exec(text)?.[1]?.trim();
}

function readAdd(text: string, steps: readonly StepRef[]): EditReading {
  const name = nameIn(text);
  // Look for the kind of block outside the name and the anchor steps ("add a check called Approve refund").
  const head = text
    .replace(/["“'][^"”']*["”']/g, ' ')
    .split(/\b(?:called|named|after|before|between)\b/i)[0]!
    .toLowerCase();
  const type = TYPE_WORDS.find(([re]) => re.test(head))?.[1];
  if (!type) return { ask: `What kind of block? One of: ${BLOCK_TYPES.filter((t) => t !== 'start').join(', ')}.` };
  const between = /\bbetween\s+(.+?)\s+and\s+(.+)$/i.exec(text);
  const after = /\bafter\s+(.+?)(?=\s+(?:called|named)\b|$)/i.exec(text)?.[1];
  const before = /\bbefore\s+(.+?)(?=\s+(?:called|named)\b|$)/i.exec(text)?.[1];
  const anchor = (phrase: string | undefined) => (phrase ? findStep(phrase, steps) : undefined);
  const edit: Edit = { op: 'add', type, name: name ?? BLOCK_CATALOG[type].label };
  if (between) {
    const a = anchor(between[1]);
    const b = anchor(between[2]);
    if (!a || !b) return { ask: `Between which two steps? The steps are: ${steps.map((s) => s.name).join(', ')}.` };
    return { edit: { ...edit, after: a.id, before: b.id } };
  }
  if (after || before) {
    const step = anchor(after ?? before);
    if (!step)
      return {
        ask: `${after ? 'After' : 'Before'} which step? The steps are: ${steps.map((s) => s.name).join(', ')}.`,
      };
    return { edit: { ...edit, ...(after ? { after: step.id } : { before: step.id }) } };
  }
  return { edit };
}

const HANDLE_WORDS: Array<[RegExp, string]> = [
  [/\b(yes|true)\b/, 'true'],
  [/\b(no|false)\b/, 'false'],
  [/\bapproved\b/, 'approved'],
  [/\brejected\b/, 'rejected'],
  [/\b(on )?error\b/, 'error'],
];

function readLink(intent: EditIntent, text: string, steps: readonly StepRef[]): EditReading {
  // "connect A to B" / "link A and B" / "wire A into B": split at the joining word so each side names one step.
  const parts = /^(.*?)\s+(?:to|and|into|with|from|->)\s+(.*)$/i.exec(text);
  let from = parts ? findStep(parts[1]!, steps) : undefined;
  let to = parts ? findStep(parts[2]!, steps) : undefined;
  if (!from || !to || from.id === to.id) {
    const named = fuzzyFind(text, steps, (s) => [s.name, s.id])
      .sort((a, b) => a.position - b.position)
      .map((m) => m.item);
    [from, to] = named;
  }
  if (!from || !to)
    return {
      ask: `Which two steps? Say "${intent === 'connect-blocks' ? 'connect' : 'disconnect'} <step> to <step>". The steps are: ${steps.map((s) => s.name).join(', ')}.`,
    };
  if (intent === 'disconnect-blocks') return { edit: { op: 'disconnect', from: from.id, to: to.id } };
  const handle = HANDLE_WORDS.find(([re]) => re.test(parts?.[1]?.toLowerCase() ?? ''))?.[1];
  return { edit: { op: 'connect', from: from.id, to: to.id, ...(handle ? { handle } : {}) } };
}

function readRename(text: string, steps: readonly StepRef[]): EditReading {
  const patterns = [
    /^(?:please\s+)?(?:rename|change the (?:name|title) of)\s+(.+?)\s+(?:to|as)\s+(.+)$/i,
    /^(?:please\s+)?call\s+(.+?\s+(?:step|block))\s+(.+)$/i,
    /^(.+?)\s+should be (?:called|named)\s+(.+)$/i,
  ];
  for (const re of patterns) {
    const m = re.exec(text);
    if (!m) continue;
    const step = findStep(m[1]!, steps);
    const name = m[2]!.replace(/^["“']|["”']$/g, '').trim();
    if (step && name) return { edit: { op: 'rename', nodeId: step.id, name } };
  }
  return { ask: 'Say which step and the new name, e.g. "rename Fetch to Get order".' };
}

function readConfigure(text: string, steps: readonly StepRef[]): EditReading {
  const m =
    /^(?:please\s+)?(?:set|change|make|update|use)\s+(?:the\s+)?(.+?)\s+(?:to|=)\s+(.+)$/i.exec(text) ??
    /^(?:the\s+)?([\w .]+?)\s*=\s*(.+)$/i.exec(text);
  if (!m) return { ask: 'Say what to set, e.g. "set the url of Fetch to https://api.example.com".' };
  // "url of fetch" / "fetch's url" / "timeout on notify": one part names the config field, the other the step.
  const subject = m[1]!.toLowerCase().replace(/['’]s\b/g, '');
  const split = /^(.+?)\s+(?:of|on|for|in)\s+(.+)$/.exec(subject);
  const keyWords = (split ? split[1]! : subject).split(' ');
  const known = [keyWords.join(' '), keyWords.slice(-2).join(' '), keyWords.at(-1)!]
    .map((phrase) => CONFIG_KEYS.find(([re]) => re.test(phrase)))
    .find(Boolean);
  if (known) {
    const step = findStep(split ? split[2]! : subject, steps);
    if (!step)
      return { ask: `Which step's ${keyWords.at(-1)}? The steps are: ${steps.map((s) => s.name).join(', ')}.` };
    const value = readValue(m[2]!.trim(), known[2]);
    if (value === undefined) return { ask: `That value does not fit ${known[1]}: use ${hint(known[2])}.` };
    return { edit: { op: 'configure', nodeId: step.id, key: known[1], value } };
  }
  return {
    ask: `I can set: url, method, timeout, delay, retries, code, condition, prompt, system, model, items, concurrency, body or output. Say e.g. "set the timeout of Fetch to 30 seconds".`,
  };
}

function hint(kind: 'text' | 'duration' | 'integer' | 'method' | 'json'): string {
  return {
    text: 'some text',
    duration: 'a duration such as "30 seconds" or "5 minutes"',
    integer: 'a whole number',
    method: 'GET, POST, PUT, PATCH, DELETE or HEAD',
    json: 'JSON or text',
  }[kind];
}

function readValue(raw: string, kind: 'text' | 'duration' | 'integer' | 'method' | 'json'): unknown {
  const unquoted = raw.replace(/^["“'](.*)["”']$/s, '$1');
  switch (kind) {
    case 'text':
      return unquoted;
    case 'method': {
      const method = unquoted.toUpperCase();
      return ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD'].includes(method) ? method : undefined;
    }
    case 'integer': {
      const n = Number(/^\d+/.exec(unquoted)?.[0]);
      return Number.isInteger(n) && n > 0 ? n : undefined;
    }
    case 'duration': {
      const d = /^(\d+(?:\.\d+)?)\s*([a-z]*)$/i.exec(unquoted);
      if (!d) return undefined;
      const unit = d[2]!.toLowerCase().replace(/s$/, '') || 'ms';
      const factor = UNIT_MS[unit] ?? UNIT_MS[unit.replace(/ec(ond)?$/, '')];
      return factor === undefined ? undefined : Math.round(Number(d[1]) * factor);
    }
    case 'json':
      try {
        return JSON.parse(unquoted);
      } catch {
        return unquoted;
      }
  }
}

function readMove(text: string, steps: readonly StepRef[]): EditReading {
  const lower = text.toLowerCase();
  const direction: Direction | undefined = /\bleft\b/.test(lower)
    ? 'left'
    : /\bright\b/.test(lower)
      ? 'right'
      : /\b(up|above|top)\b/.test(lower)
        ? 'up'
        : /\b(down|below|bottom)\b/.test(lower)
          ? 'down'
          : undefined;
  if (!direction) return { ask: 'Which way: left, right, up or down?' };
  return oneStep(lower.split(/\b(?:above|below|next to)\b/)[0]!, steps, 'Which step should I move?', (nodeId) => ({
    op: 'move',
    nodeId,
    direction,
  }));
}
