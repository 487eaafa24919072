export type { CaseDefinition } from './types.js';
export { catalogue, caseIndex, compareCaseIds, findCase, matchCasePattern, selectCases, CaseSelectionError } from './catalogue.js';
