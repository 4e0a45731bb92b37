import { createAnthropic } from '@ai-sdk/anthropic';
import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import type { LanguageModel } from 'ai';
import type { Config } from '../config/env.ts';
import { StepError } from '../model/step-failure.ts';

export type LlmConfig = Pick<
  Config,
  'OPENAI_API_KEY' | 'OPENAI_BASE_URL' | 'OPENAI_MODEL' | 'ANTHROPIC_API_KEY' | 'ANTHROPIC_MODEL' | 'ANTHROPIC_BASE_URL'
>;

/** The configured LLM providers; blocks ask it for a model by name. */
export interface LlmRegistry {
  /** Configured provider names, in preference order (`openai` first). */
  providers(): string[];
  /**
   * `openai:<model>`, `anthropic:<model>`, a bare model id (first provider) or nothing (its default model).
   * With `apiKey` (a workspace's own key) the provider is built with that key instead of the instance's; it need
   * not be configured then (a bare name goes to the first configured provider, else OpenAI).
   */
  model(name?: string, options?: { apiKey?: string }): LanguageModel;
}

type Provider = { defaultModel: string; create(modelId: string): LanguageModel };
type ProviderName = 'openai' | 'anthropic';

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

/** A provider over the instance's endpoint and model settings, with the given key. */
function buildProvider(name: ProviderName, config: LlmConfig, apiKey: string | undefined): Provider {
  if (name === 'openai') {
    const openai = createOpenAICompatible({
      name: 'openai',
      baseURL: config.OPENAI_BASE_URL ?? 'https://api.openai.com/v1',
      apiKey,
      // Streamed answers carry token usage only when asked for it.
      includeUsage: true,
    });
    return { defaultModel: config.OPENAI_MODEL ?? 'gpt-4o-mini', create: (id) => openai.chatModel(id) };
  }
  const anthropic = createAnthropic({ apiKey, baseURL: config.ANTHROPIC_BASE_URL });
  return { defaultModel: config.ANTHROPIC_MODEL ?? 'claude-3-5-haiku-latest', create: (id) => anthropic(id) };
}

export function createLlmRegistry(config: LlmConfig): LlmRegistry {
  const providers = new Map<string, Provider>();
  if (config.OPENAI_API_KEY || config.OPENAI_BASE_URL)
    providers.set('openai', buildProvider('openai', config, config.OPENAI_API_KEY));
  if (config.ANTHROPIC_API_KEY)
    providers.set('anthropic', buildProvider('anthropic', config, config.ANTHROPIC_API_KEY));

  return {
    providers: () => [...providers.keys()],
    model(name, options) {
      // Only a known provider name counts as a prefix: Ollama ids such as "llama3:8b" contain colons too.
      const [prefix, ...rest] = (name ?? '').split(':');
      const explicit = prefix !== undefined && Object.hasOwn(PROVIDER_SETTINGS, prefix) && rest.length > 0;
      const providerName = explicit ? prefix : [...providers.keys()][0];
      // A workspace's own key needs no instance key: the provider is built for this call.
      const provider =
        options?.apiKey !== undefined
          ? buildProvider((providerName ?? 'openai') as ProviderName, config, options.apiKey)
          : providerName === undefined
            ? undefined
            : providers.get(providerName);
      if (!provider) {
        if (!explicit) throw noProviderError();
        throw new StepError(
          `model "${name}" needs the ${prefix} provider: set ${PROVIDER_SETTINGS[prefix]}`,
          'no_llm_provider',
          false,
        );
      }
      const modelId = (explicit ? rest.join(':') : name) || provider.defaultModel;
      return provider.create(modelId);
    },
  };
}
