import type { TemplateContext } from '../graph/templates.ts';
import { SecretUnreadableError } from '../store/secrets.ts';
import { StepError, type SecretSource } from './blocks/types.ts';
import type { SecretValues } from './redact.ts';

/**
 * The template data for one evaluation that reads `names` (`secrets.NAME`): the step's data plus just those
 * secrets, looked up in the execution's workspace while the step runs. Each value read is remembered in `seen`,
 * so that whatever the run writes afterwards is redacted. A secret that is not there fails the step, naming it.
 */
export async function withSecrets(
  template: TemplateContext,
  names: readonly string[],
  source: SecretSource | undefined,
  workspaceId: string,
  seen: SecretValues,
): Promise<TemplateContext> {
  if (names.length === 0) return template;
  if (!source) throw new StepError('this engine has no access to workspace secrets', 'secrets_unavailable', false);
  let found: Map<string, string>;
  try {
    found = await source.resolve(workspaceId, names);
  } catch (error) {
    if (error instanceof SecretUnreadableError) throw new StepError(error.message, 'secret_unreadable', false);
    throw error;
  }
  const missing = names.filter((name) => !found.has(name));
  if (missing.length > 0) {
    const listed = missing.map((name) => `"${name}"`).join(', ');
    throw new StepError(
      `${missing.length === 1 ? 'secret' : 'secrets'} ${listed} ${missing.length === 1 ? 'is' : 'are'} not set in this workspace; ` +
        `a workspace admin can add ${missing.length === 1 ? 'it' : 'them'} with PUT /api/v1/secrets/${missing[0]}`,
      'missing_secret',
      false,
    );
  }
  for (const [name, value] of found) seen.add(name, value);
  return { ...template, secrets: Object.fromEntries(found) };
}
