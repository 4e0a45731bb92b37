import { describe, expect, it } from 'vitest';
import { canonicalJson, graphHash } from '../../../src/graph/hash.ts';

const graph = {
  name: 'Hash',
  nodes: [{ id: 'start', type: 'start', name: 'Start', position: { x: 1, y: 2 } }],
  edges: [],
};

describe('graphHash', () => {
  it('is a sha256 hex digest', () => {
    expect(graphHash(graph)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('does not depend on key order at any depth', () => {
    const reordered = {
      edges: [],
      nodes: [{ position: { y: 2, x: 1 }, name: 'Start', type: 'start', id: 'start' }],
      name: 'Hash',
    };
    expect(graphHash(reordered)).toBe(graphHash(graph));
  });

  it('changes when a value changes, and array order counts', () => {
    expect(graphHash({ ...graph, name: 'Hash 2' })).not.toBe(graphHash(graph));
    expect(graphHash({ list: [1, 2] })).not.toBe(graphHash({ list: [2, 1] }));
  });
});

describe('canonicalJson', () => {
  it('sorts keys recursively and drops undefined members', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { f: 1, e: 2 }], c: undefined } })).toBe(
      '{"a":{"d":[3,{"e":2,"f":1}]},"b":1}',
    );
  });
});
