import type { StoredEvent } from '../../model/events.ts';
import { OtlpExporter } from './otlp.ts';
import { SpanTracker } from './spans.ts';

/**
 * Optional OpenTelemetry traces: one span per execution and per step attempt, built from the committed execution
 * events and exported over OTLP/HTTP. Returns the function that flushes and stops it.
 */
export function startTracing(
  /** The engine's event bus; only its local events are read. */
  bus: { subscribeLocal(listener: (event: StoredEvent) => void): () => void },
  options: {
    endpoint: string;
    serviceName: string;
    version: string;
    log: ConstructorParameters<typeof OtlpExporter>[2];
  },
): () => Promise<void> {
  const tracker = new SpanTracker();
  const exporter = new OtlpExporter(
    options.endpoint,
    { name: options.serviceName, version: options.version },
    options.log,
  );
  // Events committed here only: in queue mode every process hears every event, and a span must be sent once.
  const unsubscribe = bus.subscribeLocal((event) => exporter.add(tracker.accept(event)));
  return async () => {
    unsubscribe();
    await exporter.close();
  };
}
