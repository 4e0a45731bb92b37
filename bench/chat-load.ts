/**
 * The load generator of the concurrent-conversations benchmark, in a process of its own so that the clients
 * do not share the server's event loop: every conversation sends its messages one after another, and all
 * conversations do so at once. Gets its job and sends its result over the IPC channel.
 */

export interface ChatLoad {
  url: string;
  headers: Record<string, string>;
  conversations: string[];
  messages: string[];
}
export interface ChatLoadResult {
  latenciesMs: number[];
  elapsedMs: number;
  failures: string[];
}

async function send(url: string, headers: Record<string, string>, id: string, text: string): Promise<void> {
  const response = await fetch(`${url}/api/v1/conversations/${id}/messages`, {
    method: 'POST',
    headers: { ...headers, 'content-type': 'application/json' },
    body: JSON.stringify({ text }),
  });
  const body = await response.text();
  if (response.status !== 200) throw new Error(`${response.status} ${body.slice(0, 200)}`);
}

const { url, headers, conversations, messages } = await new Promise<ChatLoad>((resolve) =>
  process.once('message', resolve),
);
const latenciesMs: number[] = [];
const failures: string[] = [];
const began = performance.now();
await Promise.all(
  conversations.map(async (id) => {
    for (const text of messages) {
      const t0 = performance.now();
      try {
        await send(url, headers, id, text);
        latenciesMs.push(performance.now() - t0);
      } catch (error) {
        failures.push(error instanceof Error ? error.message : String(error));
      }
    }
  }),
);
process.send!({ latenciesMs, elapsedMs: performance.now() - began, failures } satisfies ChatLoadResult, () =>
  process.exit(0),
);
