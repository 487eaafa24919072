/**
 * The `wscheck` command. Exit status: 0 no case FAILED, 1 some case FAILED,
 * 2 bad usage, unreachable target or internal error (one line on stderr),
 * 130 interrupted (the reports of finished cases are on disk).
 */
import { CaseSelectionError } from '../cases/catalogue.js';
import { ConnectError, TargetUrlError } from '../harness/client-handshake.js';
import { USAGE, parseCommand } from './args.js';
import { StartError, UsageError } from './errors.js';
import { runClientCommand } from './client-command.js';
import { runExploreCommand, runReplayCommand } from './explore-command.js';
import { runReportCommand } from './report-command.js';
import { runServerCommand } from './server-command.js';
import { runTargetsCommand } from './targets-command.js';
import { runFuzzCommand } from './fuzz-command.js';

export async function main(argv: readonly string[]): Promise<number> {
  try {
    const command = parseCommand(argv);
    switch (command.command) {
      case 'help':
        process.stdout.write(`${USAGE}\n`);
        return 0;
      case 'server':
        return await runServerCommand(command);
      case 'client':
        return await runClientCommand(command);
      case 'report':
        return runReportCommand(command);
      case 'explore':
        return await runExploreCommand(command);
      case 'replay':
        return await runReplayCommand(command);
      case 'targets':
        return runTargetsCommand();
      case 'fuzz':
        return await runFuzzCommand(command.argv);
    }
  } catch (e) {
    if (e instanceof UsageError || e instanceof CaseSelectionError || e instanceof TargetUrlError || e instanceof ConnectError || e instanceof StartError) {
      process.stderr.write(`wscheck: ${e.message}\n`);
      return 2;
    }
    process.stderr.write(`wscheck: internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    return 2;
  }
}
