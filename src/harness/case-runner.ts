/**
 * Runs one scenario over one open TCP connection: the tester's endpoint
 * (model reducer) and script driver (model reducer) wired to a real socket,
 * real timers and the wire recorder. Everything that can wait has a bound:
 * the scenario's own timers, the endpoint's closing timers, and a hard
 * deadline after which the connection is dropped and the case reported.
 */
import type { Socket } from 'node:net';
import type { MessageExtension } from '../codec/extension.js';
import { Opcode } from '../codec/opcode.js';
import { type DriverAction, type DriverContext, type DriverState, type DriverTimer, cutStream, driverOnEvent, driverOnTimer, driverStart } from '../model/driver.js';
import { initialEndpointState, step } from '../model/endpoint.js';
import { type Cause, type Observation, ObservationLog, OBSERVATION_LIMIT, type RecordedEvent } from '../model/events.js';
import type { Scenario, Step } from '../model/scenario.js';
import { testerEndpointConfig } from '../model/simulate.js';
import type { ClosingFields, EndpointInput, EndpointOutput, EndpointState, Role, SentFrame, TimerName } from '../model/types.js';
import { type FairTimer, fairTimeout } from './fair-timer.js';
import { WireRecorder } from './wire-log.js';
import { DEFAULT_PIECE_INTERVAL_MS, WriteQueue } from './write-queue.js';
import { TurnSegmenter } from './turn-segmenter.js';

export interface CaseRunInput {
  readonly socket: Socket;
  readonly scenario: Scenario;
  readonly context: DriverContext;
  readonly testerRole: Role;
  readonly maskSeed: number;
  /** The recorder that already holds the opening handshake's reads and writes. */
  readonly recorder: WireRecorder;
  /** Octets that arrived after the handshake head (frames pipelined with it). */
  readonly leftover: Uint8Array | null;
  /** Seconds after which the connection is dropped whatever happens. */
  readonly deadlineSeconds: number;
  /** Clock in milliseconds (injected for tests). */
  readonly now?: () => number;
  /** The extension negotiated in the opening handshake (permessage-deflate), if any. */
  readonly extension?: MessageExtension | null;
  /** Frames the tester already sent with its opening handshake (pipelined in the same write), for the causes of what the peer does. */
  readonly framesSentBefore?: readonly SentFrame[];
}

export interface CaseRunOutput {
  readonly events: readonly RecordedEvent[];
  readonly observations: readonly Observation[];
  readonly closing: ClosingFields;
  /** Milliseconds from open to the end of the TCP connection. */
  readonly durationMs: number;
  /** Masking keys of the frames the peer sent (for lints), in order. */
  readonly peerMaskKeys: readonly (number | null)[];
  /** Length encodings of the frames the peer sent (for lints). */
  readonly peerLengths: readonly { readonly encoding: 7 | 16 | 64; readonly length: number }[];
  /** Harness notes: hard deadline hit, socket errors. */
  readonly notes: readonly string[];
  /** Performance cases: how far the goal got. */
  readonly perf: DriverState['perf'];
}

/** Sum of every timer a scenario can arm, for the hard deadline. */
export function scenarioSeconds(steps: readonly Step[]): number {
  let total = 0;
  for (const s of steps) {
    if (s.kind === 'kill-after' || s.kind === 'close-after') total = Math.max(total, s.seconds);
    if (s.kind === 'continue-later') total = Math.max(total, s.seconds + scenarioSeconds(s.steps));
  }
  return total;
}

/** Frames of the peer whose masking key and length encoding are kept for the lints. */
const PEER_FRAMES_KEPT = 10_000;

/** Run the scenario; resolves when the TCP connection is gone. */
export function runCase(input: CaseRunInput): Promise<CaseRunOutput> {
  const { socket, scenario, context, recorder } = input;
  const now = input.now ?? (() => performance.now());
  const openedAt = now();
  return new Promise((resolve) => {
    const base = testerEndpointConfig(input.testerRole, input.maskSeed, {
      ...(scenario.limits !== undefined ? { limits: scenario.limits } : {}),
      ...(scenario.holdTcpOpen ? { holdTcpOpen: true } : {}),
    });
    const config = input.extension ? { ...base, decoder: { ...base.decoder, extensions: [input.extension] } } : base;
    let tester: EndpointState = initialEndpointState(config, { open: true });
    let driver: DriverState;
    const observations = new ObservationLog({ perfCase: scenario.perf !== undefined });
    const peerMaskKeys: (number | null)[] = [];
    const peerLengths: { encoding: 7 | 16 | 64; length: number }[] = [];
    const notes: string[] = [];
    const endpointTimers = new Map<TimerName, FairTimer>();
    const driverTimers = new Set<FairTimer>();
    let finished = false;
    let graceTimer: NodeJS.Timeout | null = null;

    // Frames fully written so far, for the causes of what the peer does.
    let octetsWritten = 0;
    let framesWritten = input.framesSentBefore?.length ?? 0;
    let lastWrittenOpcode: number | null = input.framesSentBefore?.at(-1)?.opcode ?? null;
    let lastWrittenRsv = input.framesSentBefore?.at(-1)?.rsv ?? 0;
    const frameEnds: { end: number; opcode: number; rsv: number }[] = [];
    let octetsQueued = 0;

    const cause = (): Cause => ({ afterFrame: framesWritten, opcode: lastWrittenOpcode, rsv: lastWrittenRsv });

    // Writes made in one turn of the event loop leave in one TCP write, as a Twisted transport
    // (Autobahn's) sends what was written in one reactor turn together; a peer that processes a whole
    // read at once must see them together, as it would with the original.
    let corked = false;
    // A chopped replay ends TCP only once the pieces of what the tester wrote have left (see close-tcp).
    let endAfterQueue = false;
    const queue = new WriteQueue({
      isOpen: () => (tester.tcp === 'open' || (endAfterQueue && socket.writable)) && !socket.destroyed,
      write: (piece, sync) => {
        if (!corked) {
          corked = true;
          socket.cork();
          process.nextTick(() => {
            corked = false;
            socket.uncork();
          });
        }
        recorder.wrote(piece, sync);
        octetsWritten += piece.length;
        while (frameEnds.length > 0 && frameEnds[0]!.end <= octetsWritten) {
          const f = frameEnds.shift()!;
          framesWritten++;
          lastWrittenOpcode = f.opcode;
          lastWrittenRsv = f.rsv;
        }
        socket.write(piece);
      },
    }, scenario.pieceIntervalMs ?? DEFAULT_PIECE_INTERVAL_MS);

    // Timers wait for the peer; time in which the tester's own pieces were still queued does not count.
    const writing = (): number => queue.busyMs();

    const finish = (): void => {
      if (finished) return;
      finished = true;
      for (const t of endpointTimers.values()) t.cancel();
      for (const t of driverTimers) t.cancel();
      deadline.cancel();
      clearTimeout(wallDeadline);
      if (graceTimer !== null) clearTimeout(graceTimer);
      queue.clear();
      if (!socket.destroyed) socket.destroy();
      if (observations.dropped > 0) notes.push(`${observations.dropped} later observations (messages, pongs, closes) were not kept: a case keeps ${OBSERVATION_LIMIT} or 4 MiB of payload.`);
      if ((driver.unrecorded ?? 0) > 0) {
        notes.push(`${driver.unrecorded} more messages or pongs arrived after the event list was already longer than every acceptable one; they were not recorded (the verdict could not change).`);
      }
      resolve({
        events: driver.received,
        observations: observations.entries,
        closing: tester.closing,
        durationMs: Math.round(now() - openedAt),
        peerMaskKeys,
        peerLengths,
        notes,
        perf: driver.perf,
      });
    };

    const segmenter = scenario.segmentation === undefined ? null : new TurnSegmenter(scenario.segmentation, (piece) => queue.send(piece, null, true));
    let writeContext: { chop: number | null; sync: boolean; repeatUnit: Uint8Array | null } = { chop: null, sync: false, repeatUnit: null };
    // While a stream step runs, frames are collected here and then written as the step cuts them.
    let captured: Uint8Array[] | null = null;

    const handleOutputs = (outputs: readonly EndpointOutput[]): void => {
      for (const o of outputs) {
        switch (o.type) {
          case 'write':
            if (o.frame !== null) {
              recorder.frameSent(o.frame, writeContext);
              octetsQueued += o.data.length;
              frameEnds.push({ end: octetsQueued, opcode: o.frame.opcode, rsv: o.frame.rsv });
            } else {
              octetsQueued += o.data.length;
            }
            if (captured !== null) captured.push(o.data);
            else if (segmenter?.active) segmenter.add(o.data, o.frame !== null);
            else queue.send(o.data, writeContext.chop, writeContext.sync);
            break;
          case 'frame-received':
            recorder.frameReceived(o);
            // Enough for the lints on masking keys and length encodings; a flood of frames must not grow them.
            if (peerLengths.length < PEER_FRAMES_KEPT) {
              peerMaskKeys.push(o.maskKey);
              peerLengths.push({ encoding: o.lengthEncoding, length: o.payload.length });
            }
            break;
          case 'message': {
            const binary = o.opcode === Opcode.Binary;
            observations.record({ kind: 'message', payload: o.payload, binary, cause: cause() });
            onEvent({ type: 'message', payload: o.payload, binary });
            break;
          }
          case 'pong':
            observations.record({ kind: 'pong', payload: o.payload, cause: cause() });
            onEvent({ type: 'pong', payload: o.payload });
            break;
          case 'close-received':
            observations.record({ kind: 'close', code: o.code, reason: o.reason, cause: cause() });
            break;
          case 'failed':
            if (o.violation !== null) observations.record({ kind: 'violation', reason: o.violation.reason, code: o.violation.code, cause: cause() });
            break;
          case 'set-timer': {
            endpointTimers.get(o.timer)?.cancel();
            endpointTimers.set(
              o.timer,
              fairTimeout(
                () => {
                  endpointTimers.delete(o.timer);
                  feed({ type: 'timer', timer: o.timer });
                },
                o.seconds * 1000,
                writing,
              ),
            );
            break;
          }
          case 'clear-timer': {
            endpointTimers.get(o.timer)?.cancel();
            endpointTimers.delete(o.timer);
            break;
          }
          case 'close-tcp':
            // Let queued pieces go (they are dropped: the connection is closed), end TCP gracefully,
            // and do not wait for a peer that never closes its side.
            if (segmenter === null) socket.end();
            else {
              // Chopped, the Close this step wrote is still in pieces: the model has sent it, so it leaves first.
              segmenter.flush();
              endAfterQueue = true;
              void queue.whenIdle().then(() => socket.end());
            }
            graceTimer = setTimeout(() => finish(), 2000);
            break;
          case 'closed':
          case 'ping':
            break;
        }
      }
    };

    const feed = (i: EndpointInput, how = { chop: null as number | null, sync: false, repeatUnit: null as Uint8Array | null }): void => {
      if (finished) return;
      const r = step(tester, i);
      tester = r.state;
      writeContext = how;
      handleOutputs(r.outputs);
      writeContext = { chop: null, sync: false, repeatUnit: null };
    };

    const runActions = (actions: readonly DriverAction[]): void => {
      for (const a of actions) {
        switch (a.type) {
          case 'input':
            feed(a.input, { chop: a.chop, sync: a.sync, repeatUnit: a.repeatUnit });
            break;
          case 'stream': {
            captured = [];
            for (const frame of a.frames) feed({ type: 'send-frame', frame });
            const parts: Uint8Array[] = captured;
            captured = null;
            if (segmenter?.active) {
              for (const part of parts) segmenter.add(part, true);
              break;
            }
            const all = Buffer.concat(parts);
            for (const piece of cutStream(all, a.cuts)) queue.send(piece, null, true);
            break;
          }
          case 'set-timer':
            armDriverTimer(a.timer, a.seconds);
            break;
          case 'timer-fired':
            if (a.timer.kind === 'kill') recorder.note({ tag: 'KLE' });
            else if (a.timer.kind === 'close-after') recorder.note({ tag: 'TIE' });
            else recorder.note({ tag: 'CTE', label: a.timer.tag });
            break;
          case 'wirelog':
            recorder.setEnabled(a.enabled, a.silent);
            break;
          case 'record':
            break;
        }
      }
    };

    const armDriverTimer = (timer: DriverTimer, seconds: number): void => {
      if (timer.kind === 'kill') recorder.note({ tag: 'KL', delay: seconds });
      else if (timer.kind === 'close-after') recorder.note({ tag: 'TI', delay: seconds });
      else recorder.note({ tag: 'CT', delay: seconds, label: timer.tag });
      const t = fairTimeout(
        () => {
          driverTimers.delete(t);
          if (finished) return;
          const r = driverOnTimer(driver, scenario, timer, tester.readyState, context);
          driver = r.state;
          runActions(r.actions);
        },
        seconds * 1000,
        writing,
      );
      driverTimers.add(t);
    };

    const onEvent = (event: RecordedEvent): void => {
      const r = driverOnEvent(driver, scenario, context, event, tester.readyState);
      driver = r.state;
      runActions(r.actions);
    };

    // The deadline counts like the scenario's own timers (stalls of this process do not count), with
    // an absolute bound on top so that nothing can keep a case alive forever.
    const expire = (what: string) => (): void => {
      if (finished) return;
      notes.push(`${what}; the harness dropped the connection`);
      feed({ type: 'drop' });
      finish();
    };
    const deadline = fairTimeout(expire(`hard deadline of ${input.deadlineSeconds} s reached`), input.deadlineSeconds * 1000);
    const wallDeadline = setTimeout(expire(`wall-clock bound of ${3 * input.deadlineSeconds + 30} s reached`), (3 * input.deadlineSeconds + 30) * 1000);

    socket.on('data', (chunk: Buffer) => {
      if (finished) return;
      recorder.read(chunk);
      feed({ type: 'receive', data: chunk });
    });
    socket.on('end', () => {
      if (tester.tcp === 'open') observations.record({ kind: 'tcp-closed', cause: cause() });
      feed({ type: 'tcp-end' });
    });
    socket.on('error', (err: Error) => {
      notes.push(`socket error: ${err.message}`);
      if (tester.tcp === 'open') {
        observations.record({ kind: 'tcp-closed', cause: cause() });
        feed({ type: 'tcp-end' });
      }
    });
    socket.on('close', () => finish());

    const start = driverStart(scenario, context);
    driver = start.state;
    runActions(start.actions);
    // Already counted as part of the handshake read.
    if (input.leftover !== null && input.leftover.length > 0) feed({ type: 'receive', data: input.leftover });
  });
}
