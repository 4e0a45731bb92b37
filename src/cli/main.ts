import { Command } from 'commander';
import { ConfigError } from '../config/env.ts';
import { DUET_VERSION } from '../version.ts';
import { registerAccounts } from './commands/accounts.ts';
import { registerBackup } from './commands/backup.ts';
import { registerChat } from './commands/chat.ts';
import { registerDoctor } from './commands/doctor.ts';
import { registerKnowledge } from './commands/knowledge.ts';
import { registerMigrate } from './commands/migrate.ts';
import { registerRestore } from './commands/restore.ts';
import { registerRun } from './commands/run.ts';
import { registerSecrets } from './commands/secrets.ts';
import { registerSeed } from './commands/seed.ts';
import { registerServe } from './commands/serve.ts';
import { registerValidate } from './commands/validate.ts';
import { registerWorkflows } from './commands/workflows.ts';
import { DataDirInUseError } from '../store/data-dir-lock.ts';
import { CliError } from './read-json.ts';

const program = new Command('duet')
  .description('Duet: workflows you can draw and talk to')
  .version(DUET_VERSION)
  .showHelpAfterError('(run with --help for usage)');

registerServe(program);
registerMigrate(program);
registerSeed(program);
registerWorkflows(program);
registerRun(program);
registerChat(program);
registerValidate(program);
registerBackup(program);
registerRestore(program);
registerDoctor(program);
registerKnowledge(program);
registerAccounts(program);
registerSecrets(program);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof ConfigError || error instanceof CliError) {
    console.error(error.message);
    process.exit(error instanceof CliError ? error.exitCode : 2);
  }
  if (error instanceof DataDirInUseError) {
    console.error(`Duet cannot start: ${error.message}`);
    process.exit(1);
  }
  if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
    console.error(
      `Duet cannot start: ${(error as Error).message.replace('listen EADDRINUSE: ', '')}; stop what uses it or set PORT (e.g. PORT=3001 npm start)`,
    );
    process.exit(1);
  }
  throw error;
}
