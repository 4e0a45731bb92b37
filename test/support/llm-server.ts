import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface LlmRequest {
  url: string;
  headers: IncomingHttpHeaders;
  body: Record<string, unknown>;
}
/** What the model "says": text, a tool call, an HTTP error, or no answer at all. */
export type LlmAnswer =
  | { text: string }
  | { toolCall: { id: string; name: string; args: unknown } }
  | { status: number; body: unknown }
  | 'hang';

export interface LlmServer {
  /** OpenAI-compatible base URL (`/v1`); Anthropic's messages API is served at `/v1/messages` on the same server. */
  base: string;
  received: LlmRequest[];
  answer: (req: LlmRequest) => LlmAnswer;
  close(): Promise<void>;
}

/**
 * A loopback stand-in for OpenAI chat completions and Anthropic messages, speaking their wire formats:
 * plain JSON, or server-sent events when the request asks to stream, with text and tool calls.
 */
export async function startLlmServer(): Promise<LlmServer> {
  const hanging: ServerResponse[] = [];
  const state: LlmServer = { base: '', received: [], answer: () => ({ text: 'Hello' }), close: async () => undefined };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const got = {
        url: req.url ?? '',
        headers: req.headers,
        body: JSON.parse(Buffer.concat(chunks).toString() || '{}') as Record<string, unknown>,
      };
      state.received.push(got);
      const answer = state.answer(got);
      if (answer === 'hang') return void hanging.push(res);
      if ('status' in answer)
        return void res
          .writeHead(answer.status, { 'content-type': 'application/json' })
          .end(JSON.stringify(answer.body));
      const anthropic = got.url === '/v1/messages';
      if (!got.body.stream) {
        res
          .writeHead(200, { 'content-type': 'application/json' })
          .end(JSON.stringify(anthropic ? anthropicMessage(got, answer) : openaiCompletion(got, answer)));
        return;
      }
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      for (const event of anthropic ? anthropicEvents(got, answer) : openaiChunks(got, answer)) res.write(event);
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  state.close = async () => {
    for (const res of hanging) res.destroy();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  };
  return state;
}

type Spoken = Exclude<LlmAnswer, 'hang' | { status: number; body: unknown }>;

function openaiCompletion(req: LlmRequest, answer: Spoken) {
  const message =
    'text' in answer
      ? { role: 'assistant', content: answer.text }
      : {
          role: 'assistant',
          content: null,
          tool_calls: [
            {
              id: answer.toolCall.id,
              type: 'function',
              function: { name: answer.toolCall.name, arguments: JSON.stringify(answer.toolCall.args) },
            },
          ],
        };
  return {
    id: 'chatcmpl-1',
    object: 'chat.completion',
    created: 1_700_000_000,
    model: req.body.model,
    choices: [{ index: 0, message, finish_reason: 'text' in answer ? 'stop' : 'tool_calls' }],
    usage: { prompt_tokens: 11, completion_tokens: 3, total_tokens: 14 },
  };
}

function openaiChunks(req: LlmRequest, answer: Spoken): string[] {
  const chunk = (delta: object, finish: string | null, extra: object = {}) =>
    `data: ${JSON.stringify({ id: 'chatcmpl-1', object: 'chat.completion.chunk', created: 1_700_000_000, model: req.body.model, choices: [{ index: 0, delta, finish_reason: finish }], ...extra })}\n\n`;
  const usage = { usage: { prompt_tokens: 11, completion_tokens: 3, total_tokens: 14 } };
  if ('text' in answer) {
    // Several deltas, as a real stream sends them.
    const parts = answer.text.match(/.{1,4}/gs) ?? [''];
    return [
      chunk({ role: 'assistant', content: '' }, null),
      ...parts.map((p) => chunk({ content: p }, null)),
      chunk({}, 'stop', usage),
      'data: [DONE]\n\n',
    ];
  }
  const args = JSON.stringify(answer.toolCall.args);
  const half = Math.floor(args.length / 2);
  return [
    chunk(
      {
        role: 'assistant',
        tool_calls: [
          {
            index: 0,
            id: answer.toolCall.id,
            type: 'function',
            function: { name: answer.toolCall.name, arguments: args.slice(0, half) },
          },
        ],
      },
      null,
    ),
    chunk({ tool_calls: [{ index: 0, function: { arguments: args.slice(half) } }] }, null),
    chunk({}, 'tool_calls', usage),
    'data: [DONE]\n\n',
  ];
}

function anthropicMessage(req: LlmRequest, answer: Spoken) {
  const content =
    'text' in answer
      ? [{ type: 'text', text: answer.text }]
      : [{ type: 'tool_use', id: answer.toolCall.id, name: answer.toolCall.name, input: answer.toolCall.args }];
  return {
    id: 'msg_1',
    type: 'message',
    role: 'assistant',
    model: req.body.model,
    content,
    stop_reason: 'text' in answer ? 'end_turn' : 'tool_use',
    stop_sequence: null,
    usage: { input_tokens: 9, output_tokens: 2 },
  };
}

function anthropicEvents(req: LlmRequest, answer: Spoken): string[] {
  const event = (type: string, data: object) => `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`;
  const start = event('message_start', {
    message: {
      id: 'msg_1',
      type: 'message',
      role: 'assistant',
      model: req.body.model,
      content: [],
      stop_reason: null,
      stop_sequence: null,
      usage: { input_tokens: 9, output_tokens: 1 },
    },
  });
  const body =
    'text' in answer
      ? [
          event('content_block_start', { index: 0, content_block: { type: 'text', text: '' } }),
          ...(answer.text.match(/.{1,4}/gs) ?? []).map((p) =>
            event('content_block_delta', { index: 0, delta: { type: 'text_delta', text: p } }),
          ),
        ]
      : [
          event('content_block_start', {
            index: 0,
            content_block: { type: 'tool_use', id: answer.toolCall.id, name: answer.toolCall.name, input: {} },
          }),
          event('content_block_delta', {
            index: 0,
            delta: { type: 'input_json_delta', partial_json: JSON.stringify(answer.toolCall.args) },
          }),
        ];
  return [
    start,
    ...body,
    event('content_block_stop', { index: 0 }),
    event('message_delta', {
      delta: { stop_reason: 'text' in answer ? 'end_turn' : 'tool_use', stop_sequence: null },
      usage: { output_tokens: 2 },
    }),
    event('message_stop', {}),
  ];
}
