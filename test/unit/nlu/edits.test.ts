import { describe, expect, it } from 'vitest';
import { readEdit } from '../../../src/conversation/nlu/edits.ts';
import { refundGraph } from '../../support/fixtures.ts';

const steps = refundGraph().nodes.map((n) => ({ id: n.id, name: n.name }));

describe('readEdit', () => {
  it('reads the kind, name and place of a block to add', () => {
    expect(readEdit('add-block', 'add a function block called notify', steps)).toEqual({
      edit: { op: 'add', type: 'function', name: 'notify' },
    });
    expect(readEdit('add-block', 'Add an HTTP step called "Send receipt" after Issue refund.', steps)).toEqual({
      edit: { op: 'add', type: 'http', name: 'Send receipt', after: 'pay' },
    });
    expect(readEdit('add-block', 'insert an approval before isue refnd', steps)).toEqual({
      edit: { op: 'add', type: 'approval', name: 'Approval', before: 'pay' },
    });
    expect(readEdit('add-block', 'put a delay between manager approval and issue refund', steps)).toEqual({
      edit: { op: 'add', type: 'wait', name: 'Wait', after: 'ask', before: 'pay' },
    });
  });

  it('asks for what is missing instead of guessing', () => {
    expect(readEdit('add-block', 'add a step', steps)).toMatchObject({
      ask: expect.stringContaining('What kind of block? One of: function, http'),
    });
    expect(readEdit('add-block', 'add an http block after the moon', steps)).toMatchObject({
      ask: expect.stringContaining('After which step?'),
    });
    expect(readEdit('remove-block', 'remove it', steps)).toMatchObject({
      ask: expect.stringContaining('Which step should I remove?'),
    });
    expect(readEdit('configure-block', 'set the colour of pay to blue', steps)).toMatchObject({
      ask: expect.stringContaining('I can set: url, method'),
    });
    expect(readEdit('configure-block', 'set the timeout of pay to soon', steps)).toMatchObject({
      ask: expect.stringContaining('a duration such as'),
    });
    expect(readEdit('move-block', 'move the approval', steps)).toEqual({ ask: 'Which way: left, right, up or down?' });
  });

  it('reads which step to remove, tolerating typos', () => {
    expect(readEdit('remove-block', 'remove the manger aproval step', steps)).toEqual({
      edit: { op: 'remove', nodeId: 'ask' },
    });
  });

  it('reads both ends of a link in order, and a named branch', () => {
    expect(readEdit('connect-blocks', 'connect manager approval to done', steps)).toEqual({
      edit: { op: 'connect', from: 'ask', to: 'done' },
    });
    expect(readEdit('connect-blocks', 'connect the false branch of under 100 to done', steps)).toEqual({
      edit: { op: 'connect', from: 'small', to: 'done', handle: 'false' },
    });
    expect(readEdit('disconnect-blocks', 'disconnect issue refund from done', steps)).toEqual({
      edit: { op: 'disconnect', from: 'pay', to: 'done' },
    });
  });

  it('reads renames in several phrasings, keeping the new name as typed', () => {
    expect(readEdit('rename-block', 'rename the issue refund step to Pay back', steps)).toEqual({
      edit: { op: 'rename', nodeId: 'pay', name: 'Pay back' },
    });
    expect(readEdit('rename-block', 'call the approval step Boss says yes', steps)).toEqual({
      edit: { op: 'rename', nodeId: 'ask', name: 'Boss says yes' },
    });
    expect(readEdit('rename-block', 'done should be called "All set"', steps)).toEqual({
      edit: { op: 'rename', nodeId: 'done', name: 'All set' },
    });
  });

  it('reads config values typed to the field', () => {
    expect(readEdit('configure-block', 'set the timeout of issue refund to 30 seconds', steps)).toEqual({
      edit: { op: 'configure', nodeId: 'pay', key: 'timeoutMs', value: 30_000 },
    });
    expect(readEdit('configure-block', "change issue refund's method to put", steps)).toEqual({
      edit: { op: 'configure', nodeId: 'pay', key: 'method', value: 'PUT' },
    });
    expect(readEdit('configure-block', 'set retries on issue refund to 3', steps)).toEqual({
      edit: { op: 'configure', nodeId: 'pay', key: 'retry.maxAttempts', value: 3 },
    });
    expect(readEdit('configure-block', 'set the url of issue refund to https://pay.example.com/r?x=1', steps)).toEqual({
      edit: { op: 'configure', nodeId: 'pay', key: 'url', value: 'https://pay.example.com/r?x=1' },
    });
  });

  it('reads a move direction', () => {
    expect(readEdit('move-block', 'move the approval step to the right', steps)).toEqual({
      edit: { op: 'move', nodeId: 'ask', direction: 'right' },
    });
  });
});
