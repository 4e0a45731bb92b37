import { describe, expect, it } from 'vitest';
import { createLlmRegistry } from '../../../src/llm/registry.ts';

/** The SDK's model objects expose their provider and id; no request is sent here. */
function describeModel(model: unknown): { provider: string; modelId: string } {
  const { provider, modelId } = model as { provider: string; modelId: string };
  return { provider, modelId };
}

describe('createLlmRegistry', () => {
  it('has no providers without settings and names the env vars to set', () => {
    const llm = createLlmRegistry({});
    expect(llm.providers()).toEqual([]);
    expect(() => llm.model()).toThrow(/OPENAI_API_KEY.*OPENAI_BASE_URL.*ANTHROPIC_API_KEY/);
    expect(() => llm.model()).toThrow(expect.objectContaining({ code: 'no_llm_provider', retryable: false }));
  });

  it('configures OpenAI-compatible from a base URL alone (Ollama) with its default model', () => {
    const llm = createLlmRegistry({ OPENAI_BASE_URL: 'http://127.0.0.1:11434/v1' });
    expect(llm.providers()).toEqual(['openai']);
    expect(describeModel(llm.model()).modelId).toBe('gpt-4o-mini');
    expect(describeModel(llm.model('llama3:8b')).modelId).toBe('llama3:8b');
  });

  it('prefers OpenAI for bare names and routes prefixed names', () => {
    const llm = createLlmRegistry({
      OPENAI_API_KEY: 'sk',
      OPENAI_MODEL: 'gpt-x',
      ANTHROPIC_API_KEY: 'ak',
      ANTHROPIC_MODEL: 'claude-y',
    });
    expect(llm.providers()).toEqual(['openai', 'anthropic']);
    expect(describeModel(llm.model())).toMatchObject({ modelId: 'gpt-x' });
    expect(describeModel(llm.model('anthropic:'))).toMatchObject({ modelId: 'claude-y' });
    expect(describeModel(llm.model('anthropic:claude-x')).provider).toMatch(/^anthropic/);
    expect(describeModel(llm.model('openai:gpt-4o')).modelId).toBe('gpt-4o');
  });

  it('uses Anthropic defaults when it is the only provider', () => {
    const llm = createLlmRegistry({ ANTHROPIC_API_KEY: 'ak' });
    expect(describeModel(llm.model())).toMatchObject({ modelId: 'claude-3-5-haiku-latest' });
  });

  it('says which setting a prefixed model needs', () => {
    const llm = createLlmRegistry({ OPENAI_API_KEY: 'sk' });
    expect(() => llm.model('anthropic:claude-x')).toThrow(/ANTHROPIC_API_KEY/);
  });
});
