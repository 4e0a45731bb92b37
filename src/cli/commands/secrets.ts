import type { Command } from 'commander';
import { instanceSecrets } from '../../auth/instance-secrets.ts';
import { SecretStore, SecretUnreadableError } from '../../store/secrets.ts';
import { provision } from '../database.ts';
import { CliError } from '../read-json.ts';

export function registerSecrets(program: Command) {
  program
    .command('secrets')
    .description('workspace secrets (run against the configured database; the server may be stopped)')
    .command('rotate-key')
    .description(
      're-seal every workspace secret under ENCRYPTION_KEY, opening each with it or ENCRYPTION_KEY_PREVIOUS, in one transaction',
    )
    .addHelpText(
      'after',
      `
Rotating ENCRYPTION_KEY without downtime:
  1. Restart every server with ENCRYPTION_KEY=<new key> and ENCRYPTION_KEY_PREVIOUS=<old key>
     (they seal new values with the new key and still open the old ones).
  2. Run \`duet secrets rotate-key\` with the same two settings.
  3. Remove ENCRYPTION_KEY_PREVIOUS and restart.`,
    )
    .action(async () => {
      await provision(async (db, config) => {
        if (!config.ENCRYPTION_KEY_PREVIOUS)
          throw new CliError(
            'set ENCRYPTION_KEY to the new key and ENCRYPTION_KEY_PREVIOUS to the one in use until now, then run this again',
            2,
          );
        const keys = await instanceSecrets(config);
        const store = new SecretStore(db, keys.encryptionKey, keys.previousEncryptionKey);
        const { resealed } = await store.rotateKey().catch((error: unknown) => {
          if (error instanceof SecretUnreadableError) throw new CliError(`${error.message}. Nothing was changed.`);
          throw error;
        });
        console.log(
          `Re-sealed ${resealed} secret(s) under the new ENCRYPTION_KEY. Remove ENCRYPTION_KEY_PREVIOUS and restart the servers.`,
        );
      });
    });
}
