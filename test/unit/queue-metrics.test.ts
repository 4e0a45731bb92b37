import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { EngineMetrics } from '../../src/engine/metrics.ts';
import { registerQueueMetrics } from '../../src/ops/metrics.ts';

const never = () => new Promise<never>(() => undefined);
const value = async (registry: Registry, name: string) =>
  (await registry.getSingleMetric(name)!.get()).values[0]?.value;

describe('queue-mode gauges', () => {
  it('report Redis up and the connected workers', async () => {
    const registry = new Registry();
    registerQueueMetrics(registry, { ping: async () => 'PONG', workers: async () => 3 });
    const text = await registry.metrics();
    expect(text).toMatch(/^redis_up 1$/m);
    expect(text).toMatch(/^queue_workers 3$/m);
  });

  it('report Redis down when the ping fails or does not answer in time, keeping the last worker count', async () => {
    let state: 'up' | 'refused' | 'hanging' = 'up';
    const registry = new Registry();
    registerQueueMetrics(
      registry,
      {
        ping: () =>
          state === 'up'
            ? Promise.resolve('PONG')
            : state === 'refused'
              ? Promise.reject(new Error('ECONNREFUSED'))
              : never(),
        workers: () => (state === 'up' ? Promise.resolve(2) : never()),
      },
      50,
    );
    expect(await value(registry, 'redis_up')).toBe(1);
    expect(await value(registry, 'queue_workers')).toBe(2);
    state = 'refused';
    expect(await value(registry, 'redis_up')).toBe(0);
    state = 'hanging';
    const started = Date.now();
    const text = await registry.metrics();
    expect(Date.now() - started).toBeLessThan(1000);
    expect(text).toMatch(/^redis_up 0$/m);
    expect(text).toMatch(/^queue_workers 2$/m);
  });

  it('queue_depth keeps its last value instead of hanging /metrics when the queue does not answer', async () => {
    let hang = false;
    const registry = new Registry();
    new EngineMetrics(registry, { active: () => 0, depth: () => (hang ? never() : Promise.resolve(7)) }, 50);
    expect(await registry.metrics()).toMatch(/^queue_depth 7$/m);
    hang = true;
    const started = Date.now();
    expect(await registry.metrics()).toMatch(/^queue_depth 7$/m);
    expect(Date.now() - started).toBeLessThan(1000);
  });
});
