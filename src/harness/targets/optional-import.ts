/**
 * Loading a library that is only a devDependency of wscheck (faye-websocket,
 * websocket, undici): the adapters import it when a target starts, so an
 * installed wscheck works without it, and a missing one is reported in one
 * line that names the package to install.
 */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** Raised by `start()` when the library cannot be loaded. */
export class MissingLibraryError extends Error {
  override readonly name = 'MissingLibraryError';
}

/**
 * Import `pkg` for `builtin:<target>`; rejects with a one-line
 * MissingLibraryError naming the package when it cannot be loaded.
 * `load` is replaceable for tests.
 */
export async function importOptional<T>(pkg: string, target: string, load: (specifier: string) => Promise<unknown> = (s) => import(s)): Promise<T> {
  let mod: unknown;
  try {
    mod = await load(pkg);
  } catch (e) {
    const why = (e instanceof Error ? e.message : String(e)).split('\n')[0]!.trim();
    throw new MissingLibraryError(`builtin:${target} needs the npm package ${pkg}, which could not be loaded (${why}); install it with: npm install --save-dev ${pkg}`);
  }
  // A CommonJS library arrives as `default` (module.exports) plus whatever names Node could detect.
  const m = mod as { default?: unknown };
  return (m.default ?? mod) as T;
}

/** The installed version of `pkg`, or null when it is not installed (for descriptions). */
export function installedVersion(pkg: string): string | null {
  try {
    return (require(`${pkg}/package.json`) as { version: string }).version;
  } catch {
    return null;
  }
}

/** `name version` or `name (not installed)`. */
export function libraryLabel(pkg: string): string {
  const v = installedVersion(pkg);
  return v === null ? `${pkg} (not installed)` : `${pkg} ${v}`;
}
