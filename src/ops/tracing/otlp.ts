import type { Span } from './spans.ts';

const MAX_BUFFER = 10_000;
const BATCH = 512;
const FLUSH_MS = 5000;

type Log = { warn(obj: object, msg: string): void };

const toNanos = (ms: number) => (BigInt(ms) * 1_000_000n).toString();
const attribute = (key: string, value: string | number) => ({
  key,
  value: typeof value === 'number' ? { intValue: String(value) } : { stringValue: value },
});

/** Spans as an OTLP/HTTP JSON `ExportTraceServiceRequest` (opentelemetry-proto, trace/v1). Pure. */
export function otlpRequest(serviceName: string, serviceVersion: string, spans: Span[]) {
  return {
    resourceSpans: [
      {
        resource: {
          attributes: [attribute('service.name', serviceName), attribute('service.version', serviceVersion)],
        },
        scopeSpans: [
          {
            scope: { name: 'duet', version: serviceVersion },
            spans: spans.map((s) => ({
              traceId: s.traceId,
              spanId: s.spanId,
              ...(s.parentSpanId ? { parentSpanId: s.parentSpanId } : {}),
              name: s.name,
              kind: 1,
              startTimeUnixNano: toNanos(s.startMs),
              endTimeUnixNano: toNanos(s.endMs),
              attributes: Object.entries(s.attributes).map(([k, v]) => attribute(k, v)),
              status: s.error ? { code: 2, message: s.error.slice(0, 500) } : { code: 1 },
            })),
          },
        ],
      },
    ],
  };
}

/**
 * Sends spans to an OTLP/HTTP collector (`<endpoint>/v1/traces`, JSON) in batches, every 5 s or every 512 spans.
 * Bounded: beyond 10 000 unsent spans new ones are dropped; a failed send is logged (at most once a minute) and
 * its spans dropped, so a missing collector never slows executions down.
 */
export class OtlpExporter {
  private buffer: Span[] = [];
  private readonly timer: NodeJS.Timeout;
  private sending: Promise<void> = Promise.resolve();
  private lastWarning = 0;
  dropped = 0;

  constructor(
    private readonly endpoint: string,
    private readonly service: { name: string; version: string },
    private readonly log: Log,
  ) {
    this.timer = setInterval(() => {
      void this.flush();
    }, FLUSH_MS);
    this.timer.unref();
  }

  add(spans: Span[]): void {
    for (const span of spans) {
      if (this.buffer.length >= MAX_BUFFER) this.dropped++;
      else this.buffer.push(span);
    }
    if (this.buffer.length >= BATCH) void this.flush();
  }

  flush(): Promise<void> {
    this.sending = this.sending.then(async () => {
      while (this.buffer.length > 0) {
        const batch = this.buffer.splice(0, BATCH);
        try {
          const response = await fetch(
            new URL('v1/traces', this.endpoint.endsWith('/') ? this.endpoint : `${this.endpoint}/`),
            {
              method: 'POST',
              headers: { 'content-type': 'application/json' },
              body: JSON.stringify(otlpRequest(this.service.name, this.service.version, batch)),
              signal: AbortSignal.timeout(10_000),
            },
          );
          if (!response.ok) throw new Error(`the collector answered ${response.status}`);
        } catch (error) {
          this.dropped += batch.length;
          if (Date.now() - this.lastWarning > 60_000) {
            this.lastWarning = Date.now();
            this.log.warn(
              { err: error, dropped: this.dropped },
              'could not send traces to OTEL_EXPORTER_OTLP_ENDPOINT; dropping them',
            );
          }
        }
      }
    });
    return this.sending;
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }
}
