/** Short constructors for scenario steps, so case data reads like the case. */
import type { Step } from '../model/scenario.js';

type FrameOptions = Omit<Extract<Step, { kind: 'frame' }>, 'kind' | 'opcode' | 'payload'>;

export function frame(opcode: number, payload: Uint8Array, options: FrameOptions = {}): Step {
  return { kind: 'frame', opcode, payload, ...options };
}

export function killAfter(seconds: number): Step {
  return { kind: 'kill-after', seconds };
}

export function closeAfter(seconds: number): Step {
  return { kind: 'close-after', seconds };
}

export function close(code: number | null, reason?: Uint8Array): Step {
  return reason === undefined ? { kind: 'close', code } : { kind: 'close', code, reason };
}

export function closeRaw(payload: Uint8Array): Step {
  return { kind: 'close-raw', payload };
}

export function continueLater(seconds: number, tag: string | null, steps: Step[], options: { requireOpen?: boolean; recordTimeout?: boolean } = {}): Step {
  return { kind: 'continue-later', seconds, tag, steps, ...options };
}

export function message(binary: boolean, payload: Uint8Array, options: { fragmentSize?: number; repeatUnit?: Uint8Array } = {}): Step {
  return { kind: 'message', binary, payload, ...options };
}
