import { describe, expect, it } from 'vitest';
import { ExecutionOwners } from '../../src/server/execution-owners.ts';

describe('execution owners cache', () => {
  it('looks each execution up once, forgets the oldest beyond its bound, and does not cache unknown ids', async () => {
    const lookups: string[] = [];
    const store = {
      get: async (id: string) => {
        lookups.push(id);
        return id === 'gone' ? null : ({ workspaceId: `ws-${id}`, workflowId: `wf-${id}` } as never);
      },
    };
    const owners = new ExecutionOwners(store, 2);
    expect(await owners.of('a')).toEqual({ workspaceId: 'ws-a', workflowId: 'wf-a' });
    await owners.of('a');
    await owners.of('b');
    await owners.of('c');
    await owners.of('a');
    expect(await owners.of('gone')).toBeNull();
    await owners.of('gone');
    expect(lookups).toEqual(['a', 'b', 'c', 'a', 'gone', 'gone']);
  });
});
