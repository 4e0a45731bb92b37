import { createAnthropic } from '@ai-sdk/anthropic';
import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import type { LanguageModel } from 'ai';
import type { Config } from '../config/env.ts';
import { StepError } from '../engine/blocks/types.ts';

export type LlmConfig = Pick<Config, 'OPENAI_API_KEY' | 'OPENAI_BASE_URL' | 'OPENAI_MODEL' | 'ANTHROPIC_API_KEY' | 'ANTHROPIC_MODEL' | 'ANTHROPIC_BASE_URL'>;

/** The configured LLM providers; blocks ask it for a model by name. */
export interface LlmRegistry {
  /** Configured provider names, in preference order (`openai` first). */
  providers(): string[];
  /** `openai:<model>`, `anthropic:<model>`, a bare model id (first provider) or nothing (its default model). */
  model(name?: string): LanguageModel;
}

type Provider = { defaultModel: string; create(modelId: string): LanguageModel };

const PROVIDER_SETTINGS: Record<string, string> = {
  openai: 'OPENAI_API_KEY (or OPENAI_BASE_URL for Ollama, vLLM or LM Studio)',
  anthropic: 'ANTHROPIC_API_KEY',
};

export function noProviderError(): StepError {
  return new StepError(
    `no LLM provider is configured for agent blocks: set ${PROVIDER_SETTINGS.openai} or ${PROVIDER_SETTINGS.anthropic}`,
    'no_llm_provider',
    false,
  );
}

export function createLlmRegistry(config: LlmConfig): LlmRegistry {
  const providers = new Map<string, Provider>();
  if (config.OPENAI_API_KEY || config.OPENAI_BASE_URL) {
    const openai = createOpenAICompatible({
      name: 'openai',
      baseURL: config.OPENAI_BASE_URL ?? 'https://api.openai.com/v1',
      apiKey: config.OPENAI_API_KEY,
      // Streamed answers carry token usage only when asked for it.
      includeUsage: true,
    });
    providers.set('openai', { defaultModel: config.OPENAI_MODEL ?? 'gpt-4o-mini', create: (id) => openai.chatModel(id) });
  }
  if (config.ANTHROPIC_API_KEY) {
    const anthropic = createAnthropic({ apiKey: config.ANTHROPIC_API_KEY, baseURL: config.ANTHROPIC_BASE_URL });
    providers.set('anthropic', { defaultModel: config.ANTHROPIC_MODEL ?? 'claude-3-5-haiku-latest', create: (id) => anthropic(id) });
  }

  return {
    providers: () => [...providers.keys()],
    model(name) {
      // Only a known provider name counts as a prefix: Ollama ids such as "llama3:8b" contain colons too.
      const [prefix, ...rest] = (name ?? '').split(':');
      const explicit = prefix !== undefined && Object.hasOwn(PROVIDER_SETTINGS, prefix) && rest.length > 0;
      const providerName = explicit ? prefix : [...providers.keys()][0];
      const provider = providerName === undefined ? undefined : providers.get(providerName);
      if (!provider) {
        if (!explicit) throw noProviderError();
        throw new StepError(`model "${name}" needs the ${prefix} provider: set ${PROVIDER_SETTINGS[prefix]}`, 'no_llm_provider', false);
      }
      const modelId = (explicit ? rest.join(':') : name) || provider.defaultModel;
      return provider.create(modelId);
    },
  };
}
