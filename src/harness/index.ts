/**
 * `wscheck/harness`: running scenarios against real implementations over TCP:
 * testing a server (wscheck connects), testing a client (wscheck serves the
 * Autobahn fuzzingserver API), the built-in ws targets, and reports.
 */
export { testServer, runServerCase, type TestServerOptions, OPEN_HANDSHAKE_TIMEOUT_MS } from './server-target.js';
export { FuzzingServer, type FuzzingServerOptions } from './fuzzing-server.js';
export { parseTargetUrl, type TargetUrl, TargetUrlError, ConnectError } from './client-handshake.js';
export { runCase, scenarioSeconds, type CaseRunInput, type CaseRunOutput } from './case-runner.js';
export { type CaseResult, type CaseSummary, summarize } from './result.js';
export { WireRecorder, type WireEntry, type WireStats } from './wire-log.js';
export { WriteQueue } from './write-queue.js';
export { startWsEchoServer, runWsAutobahnClient, wsVersion } from './targets/ws.js';
export { catalogue, selectCases, findCase, caseIndex, type CaseDefinition } from '../cases/index.js';
export { createNodeDeflateEngine, nodeDeflateEngine } from './deflate-node.js';
export type { NodeDeflateEngineOptions } from './deflate-node.js';
