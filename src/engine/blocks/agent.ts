import { APICallError, jsonSchema, stepCountIs, streamText, tool, type ToolSet } from 'ai';
import { noProviderError } from '../../llm/registry.ts';
import { citedRefs } from '../../model/knowledge-hits.ts';
import { AgentSources } from './agent-knowledge.ts';
import { configOf } from './config.ts';
import { StepError, type BlockRunner, type StepContext } from './types.ts';

const JSON_INSTRUCTION = 'Reply with one JSON value only: no prose and no code fences.';
/** Model turns per step: enough for a few tool calls, bounded so a looping model cannot run forever. */
const MAX_TOOL_ROUNDS = 8;
/** Partial text is recorded at most this often, and only its tail, so a long answer stays cheap to follow. */
const PROGRESS_EVERY_MS = 500;
const PROGRESS_TAIL_CHARS = 2000;

interface ToolCallRecord {
  tool: string;
  workflow: string;
  input: unknown;
  executionId?: string;
  status: string;
}

/**
 * Calls a language model through the configured provider registry (`services.llm`), streaming its answer
 * into `step.progress` events. Tools are other workflows: the model may call them, and each call runs that
 * workflow's published version (at least once, like any side effect of a step that a crash interrupts).
 */
export const runAgentBlock: BlockRunner = async (ctx) => {
  const config = configOf(ctx, 'agent');
  if (!ctx.services.llm) throw noProviderError();
  const apiKey = config.apiKey === undefined ? undefined : await renderApiKey(ctx, config.apiKey);
  const model = ctx.services.llm.model(config.model, apiKey === undefined ? undefined : { apiKey });
  const prompt = stringify(await ctx.render(config.prompt));
  const rendered = config.system === undefined ? undefined : stringify(await ctx.render(config.system));
  const json = config.output === 'json';
  const sources = new AgentSources();
  const system =
    [rendered, sources.fromSteps(ctx), json ? JSON_INSTRUCTION : undefined].filter(Boolean).join('\n\n') || undefined;
  const calls: ToolCallRecord[] = [];
  const workflowTools = config.tools?.length ? await workflowToolSet(ctx, config.tools, calls) : undefined;
  const tools =
    config.knowledgeBaseId === undefined
      ? workflowTools
      : { ...workflowTools, search_knowledge: sources.tool(ctx, config.knowledgeBaseId) };

  let text = '';
  let reported = 0;
  let result;
  try {
    // maxRetries 0: the engine owns retries, with the block's own retry policy.
    // onError is silenced: the same error arrives as an 'error' part below and becomes the step's error.
    result = streamText({
      model,
      prompt,
      system,
      tools,
      stopWhen: stepCountIs(MAX_TOOL_ROUNDS),
      abortSignal: ctx.signal,
      maxRetries: 0,
      onError: () => undefined,
    });
    for await (const part of result.fullStream) {
      if (part.type === 'error') throw part.error;
      if (part.type !== 'text-delta') continue;
      text += part.text;
      if (Date.now() - reported >= PROGRESS_EVERY_MS) {
        reported = Date.now();
        await ctx.progress({ text: text.slice(-PROGRESS_TAIL_CHARS), chars: text.length });
      }
    }
    const [usage, response, finishReason] = await Promise.all([
      result.totalUsage,
      result.response,
      result.finishReason,
    ]);
    return {
      kind: 'completed',
      output: {
        text,
        ...(json ? { json: parseJson(text) } : {}),
        ...(workflowTools ? { toolCalls: calls } : {}),
        // Only passages that were retrieved count as sources: a number the model made up is not one.
        ...(sources.citations.length ? { citations: citedRefs(text, sources.citations).cited } : {}),
        usage: { inputTokens: usage.inputTokens ?? 0, outputTokens: usage.outputTokens ?? 0 },
        model: response.modelId,
        finishReason,
      },
    };
  } catch (err) {
    throw toStepError(err, ctx);
  }
};

/** One AI SDK tool per configured workflow, described by its published name, description and input schema. */
async function workflowToolSet(
  ctx: StepContext,
  configured: Array<{ workflowId: string; name?: string; description?: string }>,
  calls: ToolCallRecord[],
): Promise<ToolSet> {
  const runner = ctx.services.workflows;
  if (!runner) throw new StepError('this engine cannot run workflows as tools', 'tools_not_supported', false);
  const entries = await Promise.all(
    configured.map(async (t) => {
      const workflow = await runner.describe(ctx.workspaceId, t.workflowId).catch((error: unknown) => {
        throw new StepError(
          `tool workflow "${t.workflowId}": ${error instanceof Error ? error.message : String(error)}`,
          'invalid_tool',
          false,
        );
      });
      const name = t.name ?? workflow.slug.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 64);
      const runIt = tool({
        description:
          t.description ?? workflow.description ?? `Runs the workflow "${workflow.name}" and returns its output.`,
        inputSchema: jsonSchema<Record<string, unknown>>(
          (workflow.inputs ?? { type: 'object', properties: {} }) as never,
        ),
        execute: async (input, { abortSignal }) => {
          const record: ToolCallRecord = { tool: name, workflow: workflow.slug, input, status: 'failed' };
          calls.push(record);
          try {
            const run = await runner.run(ctx.workspaceId, t.workflowId, input, abortSignal ?? ctx.signal);
            Object.assign(record, { executionId: run.executionId, status: run.status });
            return run.status === 'completed' ? run.output : { status: run.status, error: run.error };
          } catch (error) {
            if (ctx.signal.aborted) throw error;
            // The model hears why the call failed (bad input, say) and can try again or explain.
            return { status: 'failed', error: error instanceof Error ? error.message : String(error) };
          }
        },
      });
      return [name, runIt] as const;
    }),
  );
  return Object.fromEntries(entries);
}

/** Rendered as `{apiKey}` so the step's stored input shows the field, redacted, rather than a bare key. */
async function renderApiKey(ctx: StepContext, template: string): Promise<string> {
  const { apiKey } = (await ctx.render({ apiKey: template })) as { apiKey: unknown };
  if (typeof apiKey !== 'string' || apiKey.trim() === '') {
    throw new StepError(
      'apiKey rendered to nothing: it must yield the provider key as text, e.g. "{{secrets.OPENAI_KEY}}"',
      'invalid_config',
      false,
    );
  }
  return apiKey.trim();
}

function stringify(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** Models often wrap JSON in a ```json fence despite being asked not to. */
function parseJson(text: string): unknown {
  const fenced = /^\s*```(?:json)?\s*\n?([\s\S]*?)\n?\s*```\s*$/i.exec(text);
  try {
    return JSON.parse(fenced?.[1] ?? text);
  } catch {
    throw new StepError(
      `the model did not answer with valid JSON: ${text.slice(0, 200)}`,
      'invalid_json_output',
      false,
    );
  }
}

function toStepError(err: unknown, ctx: StepContext): StepError {
  if (err instanceof StepError) return err;
  // The engine aborts ctx.signal for a cancel and for its own step timeout; only the latter is worth retrying.
  if (ctx.signal.aborted) {
    const timedOut = ctx.signal.reason instanceof DOMException && ctx.signal.reason.name === 'TimeoutError';
    return timedOut
      ? new StepError('the LLM provider did not answer before the step timeout', 'llm_error', true)
      : new StepError('cancelled', 'cancelled', false);
  }
  const message = err instanceof Error ? err.message : String(err);
  if (APICallError.isInstance(err)) {
    const status = err.statusCode;
    // No status means the request never got an answer (refused, reset, timed out): worth another attempt.
    const retryable = status === undefined || status === 408 || status === 429 || status >= 500;
    const prefix =
      status === undefined ? 'the LLM provider could not be reached' : `the LLM provider answered ${status}`;
    return new StepError(`${prefix}: ${message}`, 'llm_error', retryable, { statusCode: status });
  }
  return new StepError(`the LLM call failed: ${message}`, 'llm_error', true);
}
