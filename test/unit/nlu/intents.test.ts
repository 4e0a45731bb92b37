import { describe, expect, it } from 'vitest';
import { defaultClassifier, understand } from '../../../src/conversation/nlu/index.ts';

// Phrasings written for this test, not taken from either corpus.
const cases: [string, string][] = [
  ['please start the onboarding workflow', 'start'],
  ['Run Refund Request', 'start'],
  ['pause the execution for a moment', 'pause'],
  ['continue the workflow please', 'resume'],
  ['abort this run', 'cancel'],
  ['is the workflow finished?', 'status'],
  ['how many steps are still left', 'progress'],
  ['what does the validate step do?', 'explain-step'],
  ['skip the notify step', 'skip-step'],
  ['retry the failed fetch', 'retry-step'],
  ['the amount is 40', 'provide-input'],
  ['yes, approve it', 'approve'],
  ['no, reject the request', 'reject'],
  ['which workflows can I run?', 'list-workflows'],
  ['describe the onboarding workflow', 'describe-workflow'],
  ['switch to edit mode', 'switch-mode'],
  ['what can you do?', 'help'],
  ['add an http block after validate', 'add-block'],
  ['remove the email step', 'remove-block'],
  ['connect fetch to notify', 'connect-blocks'],
  ['disconnect fetch from notify', 'disconnect-blocks'],
  ['rename step a to Billing', 'rename-block'],
  ['set the url of fetch to https://api.example.com/orders', 'configure-block'],
  ['move the email step to the right', 'move-block'],
];

describe('intent classification', () => {
  it.each(cases)('%s → %s', (text, intent) => {
    const result = understand(text);
    expect(result.intent).toBe(intent);
    expect(result.confidence).toBeGreaterThanOrEqual(0.6);
  });

  it('tolerates typos and mixed case', () => {
    expect(understand('PASUE the run').intent).toBe('pause');
    expect(understand('aprove').intent).toBe('approve');
    expect(understand('Cancle It').intent).toBe('cancel');
  });

  it('reports up to three alternatives, less likely than the choice', () => {
    const result = understand('pause the run');
    expect(result.alternatives).toHaveLength(3);
    for (const alt of result.alternatives) expect(alt.confidence).toBeLessThanOrEqual(result.confidence);
  });
});

// Styles the training authors did not use (#17): inflections, British spelling, numbers as words, missing articles,
// words in another order, abbreviated or misspelled workflow names.
const styles: [string, string][] = [
  ['pausing the run now', 'pause'],
  ['retrying the fetch step', 'retry-step'],
  ['summarise the refund workflow', 'describe-workflow'],
  ['workflow refund describe', 'describe-workflow'],
  ['add delay after validate', 'add-block'],
  ['rename fetch Load data', 'rename-block'],
  ['cancel the refnd req', 'cancel'],
  ['the amount is forty', 'provide-input'],
];

describe('unseen phrasing styles', () => {
  it.each(styles)('%s → %s', (text, intent) => {
    const result = understand(text);
    expect(result.intent).toBe(intent);
    expect(result.confidence).toBeGreaterThanOrEqual(0.6);
  });

  it('reads numbers written as words like digits', () => {
    const classifier = defaultClassifier();
    expect([...classifier.scores('skip step three')]).toEqual([...classifier.scores('skip step 3')]);
  });
});
