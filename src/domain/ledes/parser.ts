/**
 * Reads the records of a LEDES 1998B or 98BI V2 file. The format comes from line 1; records are
 * split on the `[]` terminator (a CR/LF after it is optional, as files in the wild show), and each
 * record keeps the file line it starts on so every problem can be located.
 */
import { fieldsOf, type LedesFormat } from './ledes1998b.js';
import { ProblemList, type LedesProblem } from './problems.js';

/** One data record: the file line it starts on and its values, one per field. */
export interface LedesRecord {
  line: number;
  values: string[];
}

/** A parsed file: its format, its well-formed data records, and the structural problems met. */
export interface ParsedLedes {
  format: LedesFormat | null;
  /** The field names of the format, in order (empty when the format is unknown). */
  fields: readonly string[];
  /** Data records with the format's field count, in file order. */
  records: LedesRecord[];
  /** Every data record met, including those left out for a wrong field count. */
  recordCount: number;
  problems: LedesProblem[];
}

/** Parses a LEDES file's text (LF or CRLF, trailing whitespace-only lines tolerated). */
export function parseLedes(text: string): ParsedLedes {
  const records: LedesRecord[] = [];
  const info = scanLedes(text, (record) => records.push(record));
  return { ...info, records };
}

/**
 * Streams a LEDES file's well-formed data records to `onRecord` in file order, without keeping
 * them (validation of large files stays flat in memory), and returns what `parseLedes` returns
 * apart from the records.
 */
export function scanLedes(
  text: string,
  onRecord: (record: LedesRecord, format: LedesFormat) => void,
): Omit<ParsedLedes, 'records'> {
  const problems = new ProblemList();
  const parsed: Omit<ParsedLedes, 'records'> = {
    format: null,
    fields: [],
    recordCount: 0,
    problems: problems.items,
  };
  const scanner = new RecordScanner(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  const tag = scanner.next(0);
  if (tag === null) {
    problems.error(1, null, 'UNKNOWN_FORMAT', 'The file is empty; line 1 must be LEDES1998B[]');
    return parsed;
  }
  const format = detectFormat(tag.body);
  if (format === null) {
    problems.error(
      tag.line,
      null,
      'UNKNOWN_FORMAT',
      `Line 1 must be LEDES1998B[] or LEDES98BI V2[], found "${tag.body.slice(0, 40)}"`,
    );
    return parsed;
  }
  if (!tag.terminated) missingTerminator(problems, tag.line);
  parsed.format = format;
  const fields = fieldsOf(format);
  parsed.fields = fields;
  for (
    let raw = scanner.next(fields.length - 1);
    raw !== null;
    raw = scanner.next(fields.length - 1)
  ) {
    const values = raw.body.split('|');
    const isHeader = raw.index === 1;
    if (isHeader && values[0] === 'INVOICE_DATE') {
      checkHeader(values, fields, format, raw.line, problems);
      if (!raw.terminated) missingTerminator(problems, raw.line);
      continue;
    }
    if (isHeader)
      problems.error(
        raw.line,
        null,
        'MISSING_HEADER',
        `Line ${raw.line} must list the ${fields.length} field names of ${format}`,
      );
    parsed.recordCount++;
    if (!raw.terminated) missingTerminator(problems, raw.line);
    if (raw.lineBreaks)
      problems.error(
        raw.line,
        null,
        'LINE_BREAK_IN_VALUE',
        'A value holds a line break, which breaks the file for most portals',
      );
    if (values.length !== fields.length) {
      problems.error(
        raw.line,
        null,
        'FIELD_COUNT',
        `The record has ${values.length} fields; ${format} has ${fields.length}`,
      );
      continue;
    }
    onRecord({ line: raw.line, values }, format);
  }
  if (parsed.recordCount === 0)
    problems.error(scanner.line, null, 'NO_LINES', 'The file has no line items');
  return parsed;
}

function detectFormat(tag: string): LedesFormat | null {
  const trimmed = tag.trim();
  if (trimmed === 'LEDES1998B') return 'LEDES1998B';
  if (trimmed === 'LEDES98BI V2') return 'LEDES98BI V2';
  return null;
}

function missingTerminator(problems: ProblemList, line: number): void {
  problems.error(line, null, 'MISSING_TERMINATOR', 'The record does not end with []');
}

function checkHeader(
  names: readonly string[],
  fields: readonly string[],
  format: LedesFormat,
  line: number,
  problems: ProblemList,
): void {
  if (names.length !== fields.length) {
    problems.error(
      line,
      null,
      'HEADER_MISMATCH',
      `The header lists ${names.length} field names; ${format} has ${fields.length}`,
    );
    return;
  }
  fields.forEach((expected, i) => {
    if (names[i] !== expected)
      problems.error(
        line,
        expected,
        'HEADER_MISMATCH',
        `Field ${i + 1} must be named ${expected}, found "${names[i]}"`,
      );
  });
}

interface RawRecord {
  /** 0 = the format tag, 1 = the header (or first data record), … */
  index: number;
  line: number;
  body: string;
  terminated: boolean;
  lineBreaks: boolean;
}

/** Walks the text record by record, counting lines. */
class RecordScanner {
  private pos = 0;
  private index = 0;
  /** The 1-based line the scanner is on. */
  line = 1;

  constructor(private readonly text: string) {}

  /** The next record, or null at the end; `pipes` is how many separators a full record has. */
  next(pipes: number): RawRecord | null {
    const text = this.text;
    this.skipBlankLines();
    if (this.pos >= text.length) return null;
    const start = this.pos;
    const line = this.line;
    const index = this.index++;
    const term = text.indexOf('[]', start);
    const newline = text.indexOf('\n', start);
    if (term !== -1 && (newline === -1 || term < newline)) {
      this.pos = term + 2;
      this.skipLineEnd();
      return { index, line, body: text.slice(start, term), terminated: true, lineBreaks: false };
    }
    const end = newline === -1 ? text.length : newline;
    const segment = text.slice(start, text.charCodeAt(end - 1) === 13 ? end - 1 : end);
    if (term === -1 || countPipes(segment) >= pipes) {
      // A whole record on its line without `[]`: a missing terminator, not a broken value.
      this.pos = end + 1;
      this.line++;
      return { index, line, body: segment, terminated: false, lineBreaks: false };
    }
    // Too few fields before the line break: a value holds a line break; the record runs to `[]`.
    const body = text.slice(start, term);
    for (let i = body.indexOf('\n'); i !== -1; i = body.indexOf('\n', i + 1)) this.line++;
    this.pos = term + 2;
    this.skipLineEnd();
    return { index, line, body, terminated: true, lineBreaks: true };
  }

  private skipLineEnd(): void {
    if (this.text.charCodeAt(this.pos) === 13) this.pos++;
    if (this.text.charCodeAt(this.pos) === 10) {
      this.pos++;
      this.line++;
    }
  }

  /** Skips lines holding only spaces or tabs (such as a trailing " " line). */
  private skipBlankLines(): void {
    const text = this.text;
    for (;;) {
      let i = this.pos;
      while (i < text.length) {
        const c = text.charCodeAt(i);
        if (c !== 32 && c !== 9 && c !== 13) break;
        i++;
      }
      if (i >= text.length) {
        this.pos = text.length;
        return;
      }
      if (text.charCodeAt(i) !== 10) return;
      this.pos = i + 1;
      this.line++;
    }
  }
}

function countPipes(text: string): number {
  let count = 0;
  for (let i = text.indexOf('|'); i !== -1; i = text.indexOf('|', i + 1)) count++;
  return count;
}
