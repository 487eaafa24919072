/**
 * ws's own permessage-deflate implementation, loaded from its file (the
 * package's `exports` do not expose it), with the few methods tests and the
 * benchmark use, promisified.
 */
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);

/** ws's `PerMessageDeflate` (lib/permessage-deflate.js), as far as it is used here. */
export interface WsPerMessageDeflate {
  offer(): Record<string, true | number>;
  accept(configurations: Record<string, (string | true)[]>[]): Record<string, true | number>;
  compress(data: Buffer, fin: boolean, callback: (error: Error | null, result?: Buffer) => void): void;
  decompress(data: Buffer, fin: boolean, callback: (error: Error | null, result?: Buffer) => void): void;
  cleanup(): void;
}

export interface WsPerMessageDeflateOptions {
  serverNoContextTakeover?: boolean;
  clientNoContextTakeover?: boolean;
  serverMaxWindowBits?: number;
  clientMaxWindowBits?: number;
  threshold?: number;
  zlibDeflateOptions?: Record<string, number>;
}

type Constructor = new (options: WsPerMessageDeflateOptions, isServer: boolean, maxPayload: number) => WsPerMessageDeflate;

const wsDir = path.dirname(require.resolve('ws'));

export const PerMessageDeflate = require(path.join(wsDir, 'lib', 'permessage-deflate.js')) as Constructor;

/** ws's Sec-WebSocket-Extensions parser and formatter (lib/extension.js). */
export const wsExtension = require(path.join(wsDir, 'lib', 'extension.js')) as {
  parse(header: string): Record<string, Record<string, (string | true)[]>[]>;
  format(extensions: Record<string, Record<string, true | number> | Record<string, true | number>[]>): string;
};

export function wsCompress(p: WsPerMessageDeflate, data: Uint8Array): Promise<Buffer> {
  return new Promise((resolve, reject) => p.compress(Buffer.from(data.buffer, data.byteOffset, data.length), true, (e, r) => (e ? reject(e) : resolve(r!))));
}

export function wsDecompress(p: WsPerMessageDeflate, data: Uint8Array): Promise<Buffer> {
  return new Promise((resolve, reject) => p.decompress(Buffer.from(data.buffer, data.byteOffset, data.length), true, (e, r) => (e ? reject(e) : resolve(r!))));
}
