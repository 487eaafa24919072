/**
 * `wscheck/model`: the WebSocket endpoint as a pure reducer, the tester's
 * script driver, the simulation, and the oracle that computes the acceptable
 * traces of a scenario and judges observed runs.
 */
export * from './types.js';
export { step, initialEndpointState, decoderOptionsOf, INITIAL_CLOSING, NotCleanReason } from './endpoint.js';
export * from './scenario.js';
export * from './events.js';
export * from './policy.js';
export * from './driver.js';
export { simulate, testerEndpointConfig, peerEndpointConfig, SharedOpening, type Trace, type SimulateOptions } from './simulate.js';
export * from './oracle.js';
export * from './verdict.js';
export * from './lints.js';
export { nextRandom } from './rng.js';
