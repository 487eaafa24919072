/**
 * `wscheck/arbitraries`: fast-check arbitraries for RFC 6455 exploration —
 * messages over all of Unicode and every length encoding, fragmentations,
 * TCP chop patterns, interleavings with control frames and Close, labelled
 * corruptions, and whole scenarios for either role. Every builder is
 * composable and shrinks towards small frames, short payloads and few chops.
 */
export { DEFAULT_MAX_PAYLOAD_LENGTH, LENGTH_BOUNDARIES, type PayloadLengthConstraints, payloadLength } from './payloadLength.js';
export { type CodePointConstraints, type Utf8Width, codePoint } from './codePoint.js';
export { type TextPayloadConstraints, textPayload } from './textPayload.js';
export { type BinaryPayloadConstraints, binaryPayload } from './binaryPayload.js';
export { type Message, type MessageConstraints, message } from './message.js';
export { type EncodedMessage, type MessageEncoding, identityEncoding } from './messageEncoding.js';
export { type FragmentedMessage, type FragmentedMessageConstraints, fragmentFrames, fragmentedMessage } from './fragmentedMessage.js';
export { type ControlFrameConstraints, controlFrame } from './controlFrame.js';
export { type CloseCodeConstraints, closeCode } from './closeCode.js';
export { type CloseBody, type CloseBodyConstraints, closeBody } from './closeBody.js';
export { type InvalidUtf8, type InvalidUtf8Constraints, type Utf8Flaw, UTF8_FLAWS, invalidUtf8 } from './invalidUtf8.js';
export {
  type Corruption,
  type CorruptionConstraints,
  type CorruptionKind,
  type CorruptionLabel,
  corruption,
  corruptionKinds,
} from './corruption.js';
export { type FrameChopConstraints, frameChop } from './frameChop.js';
export { type ChoppedStreamConstraints, type StreamStep, choppedStream } from './choppedStream.js';
export { type CutTarget, cutKinds } from './cutKinds.js';
export { type InterleavedItem, type Interleaving, type InterleavingConstraints, interleaving } from './interleaving.js';
export { type GeneratedScenario, type ScenarioConstraints, type ScenarioLabel, scenario } from './scenario.js';
export {
  type OpeningChoice,
  type OpeningChoiceConstraints,
  type OpeningField,
  type RequestField,
  type ResponseField,
  describeOpeningChoice,
  openingChoice,
  openingFields,
  openingOf,
} from './openingVariation.js';
export { type DeflateChoice, permessageDeflate } from './permessageDeflate.js';
