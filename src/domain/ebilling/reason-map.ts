/**
 * The reason-code map: which Matterflow checks would have caught each reason a client's portal
 * gives for rejecting or reducing an invoice. A YAML (or JSON) document, accepted whole or
 * rejected with every problem by line and column. A reason with no rule kinds is one no check
 * could have prevented (a client's budget decision, a disputed scope).
 */
import { isMap, isSeq, LineCounter, parseDocument } from 'yaml';
import { DocumentReader, type GuidelineError } from '../guidelines/document-reader.js';
import { scalarText } from '../guidelines/param-values.js';

/** One portal reason code and the rule kinds (or readiness checks) that would have caught it. */
export interface ReasonMapping {
  code: string;
  description: string;
  ruleKinds: string[];
}

export interface ReasonMap {
  reasons: ReasonMapping[];
}

export type ReasonMapError = GuidelineError;
export type ParseReasonMapResult = { map: ReasonMap } | { errors: ReasonMapError[] };

const ROOT_KEYS = ['reasons'];
const REASON_KEYS = ['code', 'description', 'rule_kinds'];
const CODE_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.\-/]{0,63}$/;

/**
 * Parses a reason-code map. `knownKinds` lists what a reason may point at: guideline rule kinds
 * and readiness check codes; anything else is refused so a typo cannot hide a preventable cause.
 */
export function parseReasonMap(
  text: string,
  knownKinds: ReadonlySet<string>,
): ParseReasonMapResult {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  if (doc.errors.length > 0)
    return {
      errors: doc.errors.map((e) => {
        const pos = lines.linePos(e.pos[0]);
        return { line: pos.line, column: pos.col, path: '', message: e.message.split('\n')[0]! };
      }),
    };
  const reader = new DocumentReader(text, lines);
  const root = doc.contents;
  if (!isMap(root)) {
    reader.error(root, '', 'a reason-code map is a map with a reasons list');
    return { errors: reader.errors };
  }
  const pairs = reader.pairs(root, '', ROOT_KEYS);
  const list = pairs.get('reasons');
  const reasons: ReasonMapping[] = [];
  if (list === undefined) reader.error(root, '', 'missing reasons');
  else if (!isSeq(list.value))
    reader.error(list.value ?? list.key, 'reasons', 'reasons must be a list');
  else {
    const firstLine = new Map<string, number>();
    list.value.items.forEach((item, index) => {
      const path = `reasons[${index}]`;
      if (!isMap(item)) {
        reader.error(item, path, 'a reason is a map with code, description and rule_kinds');
        return;
      }
      const p = reader.pairs(item, path, REASON_KEYS);
      const code = reader.text(p, 'code', item, path, (v) =>
        CODE_PATTERN.test(v) ? null : 'code must be 1–64 letters, digits, ".", "_", "-" or "/"',
      );
      const description = p.has('description') ? reader.text(p, 'description', item, path) : '';
      if (code !== undefined) {
        const key = code.toUpperCase();
        const codeNode = p.get('code')?.value;
        const first = firstLine.get(key);
        if (first === undefined) firstLine.set(key, reader.position(codeNode).line);
        else
          reader.error(
            codeNode,
            `${path}.code`,
            `duplicate code "${code}" (first on line ${first}); codes are matched ignoring case`,
          );
      }
      const kindsPair = p.get('rule_kinds');
      const ruleKinds: string[] = [];
      if (kindsPair === undefined)
        reader.error(item, path, 'missing rule_kinds (use [] when no check could catch it)');
      else if (!isSeq(kindsPair.value))
        reader.error(kindsPair.value ?? kindsPair.key, `${path}.rule_kinds`, 'must be a list');
      else
        kindsPair.value.items.forEach((node, k) => {
          const kind = scalarText(node, text);
          if (kind === null || !knownKinds.has(kind))
            reader.error(
              node,
              `${path}.rule_kinds[${k}]`,
              `unknown rule kind or readiness check ${JSON.stringify(kind ?? '?')}`,
            );
          else ruleKinds.push(kind);
        });
      if (code !== undefined) reasons.push({ code, description: description ?? '', ruleKinds });
    });
  }
  reader.errors.sort((a, b) => a.line - b.line || a.column - b.column);
  if (reader.errors.length > 0) return { errors: reader.errors };
  return { map: { reasons } };
}

/** The mapping for a portal's reason code (case and surrounding spaces ignored), if any. */
export function findReason(map: ReasonMap, code: string): ReasonMapping | undefined {
  const key = code.trim().toUpperCase();
  return map.reasons.find((r) => r.code.toUpperCase() === key);
}

/**
 * The map in force until one is imported: the reasons portals commonly give (see the reference
 * notes on portal rejections), each pointed at the guideline rule kinds and readiness checks
 * that catch it before submission.
 */
export const DEFAULT_REASON_MAP_TEXT = `# Portal reason codes and the Matterflow checks that would have caught them.
# rule_kinds names guideline rule kinds (docs/guidelines.md) and readiness checks
# (docs/ebilling.md); [] means no check could have prevented it.
reasons:
  - code: RATE_EXCEEDS_APPROVED
    description: Billed rate above the rate the client approved
    rule_kinds: [approved_rate, rate_cap, RATE_ABOVE_APPROVED]
  - code: TIMEKEEPER_NOT_APPROVED
    description: Timekeeper not approved to bill on the matter
    rule_kinds: [approved_timekeeper, TIMEKEEPER_NOT_APPROVED]
  - code: BLOCK_BILLING
    description: Several tasks billed in one entry
    rule_kinds: [block_billing]
  - code: VAGUE_DESCRIPTION
    description: Narrative too vague to show the work
    rule_kinds: [vague_narrative, narrative_length]
  - code: BANNED_TERMS
    description: Description uses a term the guidelines disallow
    rule_kinds: [banned_terms]
  - code: ADMINISTRATIVE_WORK
    description: Clerical or administrative work billed
    rule_kinds: [clerical_work]
  - code: INTERNAL_CONFERENCE
    description: Intra-firm conference billed
    rule_kinds: [internal_conference]
  - code: EXCESSIVE_DAILY_HOURS
    description: Timekeeper billed more hours in a day than allowed
    rule_kinds: [max_daily_hours, max_entry_hours]
  - code: BILLING_INCREMENT
    description: Time not billed in the required increment
    rule_kinds: [billing_increment]
  - code: TRAVEL_TIME
    description: Travel billed against the travel policy
    rule_kinds: [travel_time]
  - code: DUPLICATE_CHARGE
    description: The same charge billed twice
    rule_kinds: [duplicate_entry, LEDES_DUPLICATE_LINE]
  - code: EXPENSE_NOT_ALLOWED
    description: Expense the client does not reimburse, or above its cap
    rule_kinds: [non_billable_expense, expense_cap]
  - code: MISSING_TASK_CODE
    description: UTBMS task or activity code missing or not in the required set
    rule_kinds: [utbms_codes, TASK_CODE_MISSING, ACTIVITY_CODE_MISSING, LEDES_UNKNOWN_TASK_CODE]
  - code: MISSING_EXPENSE_CODE
    description: UTBMS expense code missing or unknown
    rule_kinds: [utbms_codes, EXPENSE_CODE_MISSING, LEDES_UNKNOWN_EXPENSE_CODE]
  - code: LINE_DATE_OUTSIDE_PERIOD
    description: A line dated outside the billing period
    rule_kinds: [entry_outside_period, LEDES_LINE_DATE_OUTSIDE_PERIOD]
  - code: LATE_CHARGES
    description: Charges older than the client accepts
    rule_kinds: [late_entry]
  - code: MATTER_CLOSED
    description: Work billed after the matter closed
    rule_kinds: [matter_closed]
  - code: OVER_BUDGET
    description: Invoice exceeds the matter budget
    rule_kinds: [budget]
  - code: INVOICE_TOTAL_MISMATCH
    description: Invoice total is not the sum of its lines
    rule_kinds: [LEDES_INVOICE_TOTAL_MISMATCH, LEDES_LINE_TOTAL_MISMATCH]
  - code: DUPLICATE_INVOICE_NUMBER
    description: Invoice number already used
    rule_kinds: [INVOICE_NUMBER_NOT_UNIQUE]
  - code: INVALID_MATTER
    description: Client matter id unknown to the portal
    rule_kinds: [CLIENT_MATTER_ID_MISSING]
  - code: INVALID_CLASSIFICATION
    description: Timekeeper classification code not accepted
    rule_kinds: [CLASSIFICATION_UNMAPPED]
  - code: STAFFING
    description: Work done by a more senior timekeeper than needed
    rule_kinds: [staffing]
  - code: CLIENT_DISCRETION
    description: Reduced or refused at the client's discretion
    rule_kinds: []
  - code: SCOPE_DISPUTE
    description: The client disputes that the work was in scope
    rule_kinds: []
`;
