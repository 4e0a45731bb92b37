import { describe, expect, it } from 'vitest';
import { validateGraph } from '../../../src/graph/validate.ts';
import { mapJourney } from '../../../src/journey/map.ts';

const graph = (config: object) => ({
  name: 'Remind',
  nodes: [
    { id: 'start', type: 'start', name: 'Start' },
    { id: 'tell', type: 'notify', name: 'Tell them', config },
  ],
  edges: [{ id: 'e1', source: 'start', target: 'tell' }],
});
const messages = (config: object) => validateGraph(graph(config)).problems.map((p) => `${p.path}: ${p.message}`);

describe('notify block config', () => {
  it('accepts each channel, with written-out or templated addresses', () => {
    expect(messages({ channel: 'sms', to: '+15551230001', text: 'Hi' })).toEqual([]);
    expect(messages({ channel: 'sms', to: '{{input.phone}}', text: 'Hi {{input.name}}' })).toEqual([]);
    expect(messages({ channel: 'webhook', to: 'https://hooks.example.com/x', text: 'Hi' })).toEqual([]);
    expect(messages({ channel: 'chat', to: '{{input.conversationId}}', text: 'Hi' })).toEqual([]);
  });

  it('says what to fix: the channel, a phone number that is not E.164, a URL that is not http(s), empty fields', () => {
    expect(messages({ channel: 'fax', to: '+15551230001', text: 'Hi' }).join()).toContain(
      'channel is one of sms, webhook or chat',
    );
    expect(messages({ channel: 'sms', to: '555 123', text: 'Hi' }).join()).toContain(
      'to must be a phone number in E.164 form',
    );
    expect(messages({ channel: 'webhook', to: 'ftp://x', text: 'Hi' }).join()).toContain('to must be an http(s) URL');
    expect(messages({ channel: 'sms', to: '', text: '' }).join()).toMatch(/to is required.*text is required/);
  });

  it('reads as a sentence in the journey', () => {
    const journey = mapJourney(validateGraph(graph({ channel: 'sms', to: '{{input.phone}}', text: 'Hi' })).graph!);
    expect(journey.states.find((s) => s.id === 'tell')?.description).toBe('Notifies {{input.phone}} by SMS');
  });
});
