/** Errors the CLI turns into one line on stderr and exit status 2. */

/** The command line is wrong: the message names what and how to fix it. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** Something needed to start is missing: a port in use, a client command that cannot run. */
export class StartError extends Error {
  override readonly name = 'StartError';
}
