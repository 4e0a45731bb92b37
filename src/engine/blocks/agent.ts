import { StepError, type BlockRunner } from './types.ts';

/**
 * Calls a language model. Providers arrive with the conversation issue; until one is configured the
 * step fails at once and says which settings to add.
 */
export const runAgentBlock: BlockRunner = async () => {
  throw new StepError(
    'no LLM provider is configured for agent blocks: set OPENAI_API_KEY (or OPENAI_BASE_URL for Ollama, vLLM or LM Studio) or ANTHROPIC_API_KEY',
    'no_llm_provider',
    false,
  );
};
