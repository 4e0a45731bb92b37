import { describe, expect, it } from 'vitest';
import { conversationConfigSchema } from '../../../src/conversation/config.ts';
import { styleReply } from '../../../src/conversation/style.ts';

const reply = 'Hi! Nothing is running yet. Say "run it" to start "Refund".';

describe('styleReply', () => {
  it('keeps the default friendly, conversational voice as written', () => {
    expect(styleReply(reply, conversationConfigSchema.parse({}))).toBe(reply);
  });

  it('drops exclamations for a professional voice', () => {
    expect(styleReply(reply, conversationConfigSchema.parse({ personality: 'professional' }))).toBe(
      'Hello. Nothing is running yet. Say "run it" to start "Refund".',
    );
  });

  it('leaves out hints for concise, direct or minimal conversations, never the facts', () => {
    for (const config of [
      { personality: 'concise' },
      { communicationStyle: 'direct' },
      { verbosityLevel: 'minimal' },
    ]) {
      expect(styleReply(reply, conversationConfigSchema.parse(config))).toBe('Hi! Nothing is running yet.');
    }
    expect(styleReply('Say "help".', conversationConfigSchema.parse({ personality: 'concise' }))).toBe('Say "help".');
  });
});
