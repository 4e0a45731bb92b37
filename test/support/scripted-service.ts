import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { chain, node } from './workflows.ts';

/**
 * A loopback service whose answers a test scripts: a queue of status codes, then 200. While `hold` is an array,
 * answers wait in it until the test calls them.
 */
export class ScriptedService {
  url = '';
  readonly script: number[] = [];
  hits = 0;
  hold: Array<() => void> | null = null;
  private readonly server: Server = createServer((_req, res) => {
    this.hits++;
    const answer = () => {
      const status = this.script.shift() ?? 200;
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify({ hit: this.hits }));
    };
    if (this.hold) this.hold.push(answer);
    else answer();
  });

  async listen(): Promise<this> {
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server.address() as { port: number }).port}`;
    return this;
  }

  /** A workflow whose step `call` is an http request to this service (`config` adds to its config). */
  callGraph(name: string, config: object = {}, extra: object[] = [], edges = chain('start', 'call')) {
    return {
      name,
      nodes: [node('start', 'start'), node('call', 'http', { url: this.url, ...config }), ...extra],
      edges,
    };
  }

  reset(): void {
    this.script.length = 0;
    this.hits = 0;
    this.hold = null;
  }

  close(): Promise<void> {
    return new Promise<void>((r) => {
      this.server.closeAllConnections();
      this.server.close(() => r());
    });
  }
}

/** One ScriptedService for the calling test file, closed after it; every test starts with a clean script. */
export function useScriptedService(): ScriptedService {
  const service = new ScriptedService();
  beforeAll(() => service.listen());
  beforeEach(() => service.reset());
  afterAll(() => service.close());
  return service;
}
