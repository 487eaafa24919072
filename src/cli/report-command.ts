/** `wscheck report <DIR> [--open]`: render the HTML pages of a report folder from its JSON files. */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { ReportFolderError, findReportFolders, writeHtmlReport } from '../report/html/index.js';
import type { ReportCommand } from './args.js';
import { StartError } from './errors.js';

export function runReportCommand(c: ReportCommand): number {
  let folders: string[];
  try {
    folders = findReportFolders(c.dir);
    for (const f of folders) writeHtmlReport(f);
  } catch (e) {
    if (e instanceof ReportFolderError) throw new StartError(e.message);
    throw e;
  }
  if (folders.length === 0) throw new StartError(`${c.dir} holds no reports (no index.json or case JSON files, nor servers/ or clients/ with them)`);
  for (const f of folders) process.stdout.write(`${path.join(f, 'index.html')}\n`);
  if (c.open) {
    const page = path.resolve(folders[0]!, 'index.html');
    const opener = process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'explorer' : 'xdg-open';
    const child = spawn(opener, [page], { stdio: 'ignore', detached: true });
    child.on('error', () => process.stderr.write(`wscheck: could not start ${opener}; open ${page} in a browser\n`));
    child.unref();
  }
  return 0;
}
