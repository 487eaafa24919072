export type { Advisory, CaseDefinition } from './types.js';
export { WSCHECK_CATEGORIES, wscheckCases } from './wscheck/index.js';
export { catalogue, caseIndex, compareCaseIds, findCase, matchCasePattern, selectCases, CaseSelectionError, isAutobahnCase, type CatalogueScope } from './catalogue.js';
export { withDeclaredLimits } from './declared-limits.js';
