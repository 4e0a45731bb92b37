import jsonata from 'jsonata';

/**
 * Templates are `{{ JSONata }}` inside strings. This module finds them, compiles them, lists what they
 * refer to (for validation) and evaluates them (for the engine). Everything here is pure: the data a
 * template sees is passed in, never read from the environment.
 */

export interface TemplatePart {
  /** The JSONata between the braces, trimmed. */
  expression: string;
  /** Index of the opening `{{`. */
  start: number;
  /** Index just past the closing `}}`. */
  end: number;
}

export interface TemplateScan {
  templates: TemplatePart[];
  /** Index of a `{{` that is never closed, or null. */
  unclosedAt: number | null;
}

/** The `{{…}}` parts of a string, in order. */
export function findTemplates(text: string): TemplatePart[] {
  return scanTemplates(text).templates;
}

/** Like `findTemplates`, and also reports where an unclosed `{{` starts so the validator can say so. */
export function scanTemplates(text: string): TemplateScan {
  const templates: TemplatePart[] = [];
  let from = 0;
  for (;;) {
    const open = text.indexOf('{{', from);
    if (open < 0) return { templates, unclosedAt: null };
    const close = findClose(text, open + 2);
    if (close < 0) return { templates, unclosedAt: open };
    templates.push({ expression: text.slice(open + 2, close).trim(), start: open, end: close + 2 });
    from = close + 2;
  }
}

/**
 * Index of the `}}` that ends a template body starting at `from`, or -1. Braces and quoted strings
 * inside the JSONata are skipped so that `{{ {"a": {"b": 1}} }}` ends at the last `}}`.
 */
function findClose(text: string, from: number): number {
  let depth = 0;
  let quote: string | null = null;
  for (let i = from; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === '\\' && quote !== '`') i++;
      else if (c === quote) quote = null;
    } else if (c === '"' || c === "'" || c === '`') {
      quote = c;
    } else if (c === '{') {
      depth++;
    } else if (c === '}') {
      if (depth > 0) depth--;
      else if (text[i + 1] === '}') return i;
    }
  }
  return -1;
}

/** The expression of a string that is exactly one template (surrounding spaces allowed), else null. */
function soleTemplate(text: string): string | null {
  const trimmed = text.trim();
  const { templates, unclosedAt } = scanTemplates(trimmed);
  const only = templates[0];
  if (templates.length !== 1 || unclosedAt !== null || !only) return null;
  return only.start === 0 && only.end === trimmed.length ? only.expression : null;
}

/** Expression fields (`condition.expression`, router routes, `loop.items`) may also be written as `{{ … }}`. */
export function unwrapExpression(text: string): string {
  return soleTemplate(text) ?? text;
}

export type CompileResult =
  { ok: true; expression: jsonata.Expression } | { ok: false; message: string; position?: number };

/** Parses JSONata; on failure returns jsonata's message with the character position it points at. */
export function compileExpression(expr: string): CompileResult {
  try {
    return { ok: true, expression: jsonata(expr) };
  } catch (err) {
    const { message, position } = describeJsonataError(err);
    return position === undefined ? { ok: false, message } : { ok: false, message, position };
  }
}

function describeJsonataError(err: unknown): { message: string; position?: number } {
  const e = err as { message?: unknown; position?: unknown };
  const text = typeof e.message === 'string' && e.message !== '' ? e.message : String(err);
  if (typeof e.position !== 'number') return { message: text };
  return { message: `${text} (at character ${e.position})`, position: e.position };
}

const REFERENCE_ROOTS = ['input', 'steps', 'secrets'] as const;

export interface RootReference {
  root: (typeof REFERENCE_ROOTS)[number];
  /** The field (`input.<name>`), node id (`steps.<name>`) or secret (`secrets.<name>`); absent for the whole root. */
  name?: string;
  /** jsonata's position of the reference inside the expression. */
  position?: number;
}

interface AstStep {
  type?: unknown;
  value?: unknown;
  position?: unknown;
}

/**
 * The `input.<field>`, `steps.<nodeId>` and `secrets.<NAME>` references of a parsed expression (`jsonata(e).ast()`).
 * A reference is a path whose first step is the name `input`, `steps` or `secrets` (or `$$.input…`, the explicit
 * root); `foo.input` is not one. Every sub-expression is searched: arguments, operands, predicates,
 * blocks, lambda bodies, object constructors.
 */
export function referencedRoots(ast: jsonata.ExprNode): RootReference[] {
  const found: RootReference[] = [];
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) {
      for (const child of node) visit(child);
      return;
    }
    if (typeof node !== 'object' || node === null) return;
    const { type, steps } = node as { type?: unknown; steps?: unknown };
    if (type === 'path' && Array.isArray(steps)) {
      const ref = pathReference(steps as AstStep[]);
      if (ref) found.push(ref);
    }
    for (const child of Object.values(node)) visit(child);
  };
  visit(ast);
  return found;
}

function pathReference(steps: AstStep[]): RootReference | null {
  const rest = isRootVariable(steps[0]) ? steps.slice(1) : steps;
  const [first, second] = rest;
  if (first?.type !== 'name' || !REFERENCE_ROOTS.includes(first.value as RootReference['root'])) return null;
  const ref: RootReference = { root: first.value as RootReference['root'] };
  if (second?.type === 'name' && typeof second.value === 'string') ref.name = second.value;
  const at = ref.name === undefined ? first.position : second?.position;
  if (typeof at === 'number') ref.position = at;
  return ref;
}

/** `$$` parses as the variable named `$`. */
function isRootVariable(step: AstStep | undefined): boolean {
  return step?.type === 'variable' && step.value === '$';
}

/**
 * What templates and expressions see; the engine builds it (env holds only allow-listed variables, secrets only
 * the ones the evaluated value names, added for that one evaluation).
 */
export interface TemplateContext {
  input: unknown;
  steps: Record<string, unknown>;
  vars?: Record<string, unknown>;
  execution?: Record<string, unknown>;
  env?: Record<string, string>;
  secrets?: Record<string, string>;
}

/**
 * The secret names (`secrets.NAME`) the templates inside a JSON value read, each once, so that only those are
 * looked up. A template that does not parse reads nothing here (evaluating it reports the error).
 */
export function secretNames(value: unknown): string[] {
  const names = new Set<string>();
  visitStrings(value, (text) => {
    if (!text.includes('secrets')) return;
    for (const part of findTemplates(text)) collectSecretNames(part.expression, names);
  });
  return [...names];
}

/** Like `secretNames`, for one expression field (plain JSONata, or JSONata wrapped in one `{{…}}`). */
export function expressionSecretNames(expr: string): string[] {
  const names = new Set<string>();
  if (expr.includes('secrets')) collectSecretNames(unwrapExpression(expr), names);
  return [...names];
}

function collectSecretNames(expression: string, into: Set<string>): void {
  const compiled = compileExpression(expression);
  if (!compiled.ok) return;
  for (const ref of referencedRoots(compiled.expression.ast()))
    if (ref.root === 'secrets' && ref.name !== undefined) into.add(ref.name);
}

function visitStrings(value: unknown, visit: (text: string) => void): void {
  if (typeof value === 'string') visit(value);
  else if (Array.isArray(value)) for (const item of value) visitStrings(item, visit);
  else if (typeof value === 'object' && value !== null)
    for (const item of Object.values(value)) visitStrings(item, visit);
}

/** A template or expression that does not parse or fails while evaluating. */
export class TemplateError extends Error {
  constructor(
    readonly expression: string,
    message: string,
    readonly position?: number,
  ) {
    super(`${message} in {{ ${expression} }}`);
    this.name = 'TemplateError';
  }
}

/**
 * Resolves every template in a JSON value. A string that is exactly one `{{…}}` becomes the expression's
 * value itself (number, object…); other strings get each template's value interpolated as text.
 * Arrays and objects are resolved recursively; the input is not modified.
 */
export async function evaluateTemplate(value: unknown, context: TemplateContext): Promise<unknown> {
  if (typeof value === 'string') return evaluateString(value, context);
  if (Array.isArray(value)) return Promise.all(value.map((item) => evaluateTemplate(item, context)));
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) out[key] = await evaluateTemplate(item, context);
    return out;
  }
  return value;
}

/** Evaluates a raw expression field (plain JSONata, or JSONata wrapped in one `{{…}}`). */
export async function evaluateExpression(expr: string, context: TemplateContext): Promise<unknown> {
  return run(unwrapExpression(expr), context);
}

async function evaluateString(text: string, context: TemplateContext): Promise<unknown> {
  const sole = soleTemplate(text);
  if (sole !== null) return run(sole, context);
  const { templates } = scanTemplates(text);
  if (templates.length === 0) return text;
  let out = '';
  let from = 0;
  for (const part of templates) {
    out += text.slice(from, part.start) + asText(await run(part.expression, context));
    from = part.end;
  }
  return out + text.slice(from);
}

async function run(expr: string, context: TemplateContext): Promise<unknown> {
  const compiled = compileExpression(expr);
  if (!compiled.ok) throw new TemplateError(expr, compiled.message, compiled.position);
  try {
    return toJson(await compiled.expression.evaluate(context));
  } catch (err) {
    const { message, position } = describeJsonataError(err);
    throw new TemplateError(expr, message, position);
  }
}

/** Plain JSON: drops jsonata's sequence markers and anything JSON cannot hold (functions). */
function toJson(value: unknown): unknown {
  const text = JSON.stringify(value);
  return text === undefined ? undefined : JSON.parse(text);
}

function asText(value: unknown): string {
  if (value === undefined) return '';
  return typeof value === 'string' ? value : JSON.stringify(value);
}
