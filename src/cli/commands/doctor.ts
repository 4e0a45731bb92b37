import type { Command } from 'commander';
import { formatReport } from '../../ops/doctor/report.ts';
import { runDoctor } from '../../ops/doctor/run.ts';
import { DUET_VERSION } from '../../version.ts';

export function registerDoctor(program: Command) {
  program
    .command('doctor')
    .description(
      'check configuration, database, migrations, Redis, disk space and clock, and say what to fix; exit 1 on any failure',
    )
    .action(async () => {
      console.log(`Duet ${DUET_VERSION} doctor`);
      const report = formatReport(await runDoctor());
      console.log(report.text);
      if (report.failed) process.exitCode = 1;
    });
}
