/**
 * Native octet routines of the host, when it has them. The codec and the
 * model are pure and run anywhere; on Node, the two loops that dominate the
 * oracle's cost on long payloads (UTF-8 validation and payload comparison)
 * are tens of times faster natively. They are looked up through
 * `process.getBuiltinModule`, not imported, so a host without them (a browser,
 * an older Node) still loads the codec and gets the plain loops.
 */

interface NodeBuffer {
  readonly isUtf8?: (bytes: Uint8Array) => boolean;
  readonly Buffer?: { readonly compare?: (a: Uint8Array, b: Uint8Array) => number };
}

const nodeBuffer: NodeBuffer | undefined = (() => {
  const host = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  return host?.getBuiltinModule?.('node:buffer') as NodeBuffer | undefined;
})();

/** Node's `buffer.isUtf8` (simdutf): exactly the well-formed sequences of Unicode Table 3-7, or null. */
export const platformIsUtf8: ((bytes: Uint8Array) => boolean) | null = typeof nodeBuffer?.isUtf8 === 'function' ? nodeBuffer.isUtf8 : null;

const nodeCompare = nodeBuffer?.Buffer?.compare;

/** Node's `Buffer.compare` (memcmp; a static function, so it needs no receiver), or null. */
export const platformCompare: ((a: Uint8Array, b: Uint8Array) => number) | null = typeof nodeCompare === 'function' ? nodeCompare : null;
