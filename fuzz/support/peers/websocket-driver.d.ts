/**
 * The part of websocket-driver's API (faye's protocol driver, 0.8) the
 * differential target uses; the package ships no types.
 */
declare module 'websocket-driver' {
  import type { EventEmitter } from 'node:events';

  export interface MessageEvent {
    readonly data: string | Buffer;
  }
  export interface PingEvent {
    readonly data: string;
  }
  export interface CloseEvent {
    readonly code: number;
    readonly reason: string;
  }
  export interface Driver extends EventEmitter {
    readonly io: EventEmitter;
    start(): boolean;
    parse(chunk: Buffer): void;
    on(event: 'open', listener: () => void): this;
    on(event: 'message', listener: (e: MessageEvent) => void): this;
    on(event: 'ping' | 'pong', listener: (e: PingEvent) => void): this;
    on(event: 'error', listener: (e: Error) => void): this;
    on(event: 'close', listener: (e: CloseEvent) => void): this;
  }
  export interface DriverOptions {
    readonly maxLength?: number;
    readonly protocols?: string | string[];
    readonly masking?: boolean;
    readonly requireMasking?: boolean;
  }
  export interface HttpRequest {
    readonly method: string;
    readonly url: string;
    readonly headers: Record<string, string>;
  }
  const websocket: {
    http(request: HttpRequest, options?: DriverOptions): Driver;
    client(url: string, options?: DriverOptions): Driver;
  };
  export default websocket;
}

declare module 'websocket-driver/lib/websocket/driver/hybi.js' {
  /** The hybi (RFC 6455) driver; its prototype holds the regular expression it checks text with. */
  const Hybi: { readonly prototype: { readonly UTF8_MATCH: RegExp } };
  export default Hybi;
}
