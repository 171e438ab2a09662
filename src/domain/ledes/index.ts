/** The LEDES engine: writers, the parser, the validator and the reader, over one invoice model. */
export type { ClassificationMapping } from './classification.js';
export type { CleanedValue } from './clean.js';
export type {
  LedesAddress,
  LedesInternational,
  LedesInvoice,
  LedesLine,
  LedesTimekeeper,
} from './ledes-invoice.js';
export {
  LEDES_1998B_FIELDS,
  LEDES_98BI_EXTRA_FIELDS,
  LEDES_98BI_FIELDS,
  type LedesFormat,
  type LedesLineType,
} from './ledes1998b.js';
export { parseLedes, scanLedes, type LedesRecord, type ParsedLedes } from './parser.js';
export type { LedesProblem, LedesProblemCode, LedesSeverity } from './problems.js';
export { readLedesInvoices } from './read-invoices.js';
export { validateLedes, validateParsed, type LedesReport, type LedesSummary } from './validator.js';
export {
  timekeeperName,
  writeLedes1998B,
  writeLedes98BI,
  type LedesWriteOptions,
  type LedesWriteResult,
} from './writer.js';
