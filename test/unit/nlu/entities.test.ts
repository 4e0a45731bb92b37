import { describe, expect, it } from 'vitest';
import { extractEntities, type EntityContext } from '../../../src/conversation/nlu/entities.ts';

const context: EntityContext = {
  workflows: [
    { id: 'w1', slug: 'refund-request', name: 'Refund request' },
    { id: 'w2', slug: 'onboarding', name: 'Onboarding' },
    { id: 'w3', slug: 'lead-enrichment', name: 'Lead enrichment' },
  ],
  steps: [
    { id: 'a', name: 'Billing' },
    { id: 'fetch', name: 'Fetch data' },
    { id: 'notify', name: 'Notify customer' },
  ],
  inputFields: [
    { name: 'amount', type: 'number' },
    { name: 'orderId', type: 'string' },
    { name: 'reason', type: 'string' },
    { name: 'express', type: 'boolean' },
  ],
};
const now = new Date('2026-11-22T10:00:00Z'); // a Sunday
const extract = (text: string) => extractEntities(text, context, now);

describe('workflow and step names', () => {
  it('matches workflows by name or slug despite typos', () => {
    expect(extract('start the refund workflw').workflow?.id).toBe('w1');
    expect(extract('run Onbaording').workflow?.id).toBe('w2');
    expect(extract('describe lead-enrichment').workflow?.id).toBe('w3');
    expect(extract('what is the weather').workflow).toBeUndefined();
  });

  it('lists steps in the order they are named', () => {
    expect(extract('connect fetch to notify').steps.map((s) => s.id)).toEqual(['fetch', 'notify']);
    expect(extract('retry the notfy step').step?.id).toBe('notify');
  });

  it('matches a one-letter step id only after "step"', () => {
    expect(extract('rename step a to Invoices').step?.id).toBe('a');
    expect(extract('add a block').steps).toEqual([]);
  });
});

describe('values', () => {
  it('extracts numbers, including decimals, negatives and amounts with units', () => {
    expect(extract('refund 40 euros').numbers).toEqual([40]);
    expect(extract('adjust by -5.25 and 3').numbers).toEqual([-5.25, 3]);
    expect(extract('order A-17 on 2026-12-01').numbers).toEqual([]);
  });

  it('resolves dates relative to now', () => {
    expect(extract('due 2026-12-01').dates).toEqual(['2026-12-01']);
    expect(extract('tomorrow').dates).toEqual(['2026-11-23']);
    expect(extract('next monday').dates).toEqual(['2026-11-23']);
    expect(extract('in 3 days').dates).toEqual(['2026-11-25']);
    expect(extract('in 2 weeks').dates).toEqual(['2026-12-06']);
    expect(extract('on 2026-02-31').dates).toEqual([]);
  });

  it('reads yes and no', () => {
    expect(extract('yeah sure').yesNo).toBe('yes');
    expect(extract('ok').yesNo).toBe('yes');
    expect(extract('nope').yesNo).toBe('no');
    expect(extract("I don't approve").yesNo).toBe('no');
    expect(extract('maybe later').yesNo).toBeUndefined();
  });

  it('maps key=value pairs to input fields, coercing types', () => {
    expect(extract('amount=40 reason="too late" express=yes').values).toEqual({
      amount: 40,
      reason: 'too late',
      express: true,
    });
  });

  it('maps "amount is 40" and "order A-17" phrases to input fields', () => {
    expect(extract('the amount is 40 euros').values).toEqual({ amount: 40 });
    expect(extract('order A-17').values).toEqual({ orderId: 'A-17' });
    expect(extract('the reason is damaged item, amount 12.5').values).toEqual({ reason: 'damaged item', amount: 12.5 });
    expect(extract('amount is forty').values).toEqual({});
  });

  it('extracts quoted strings', () => {
    expect(extract('rename it to "Send invoice"').quoted).toEqual(['Send invoice']);
    expect(extract("call it 'Billing'").quoted).toEqual(['Billing']);
  });
});
