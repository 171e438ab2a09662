import { describe, expect, it } from 'vitest';
import { F, LEDES_1998B_FIELDS, LEDES_98BI_FIELDS } from './ledes1998b.js';
import { parseLedes } from './parser.js';

const HEADER = `${LEDES_1998B_FIELDS.join('|')}[]`;
const RECORD =
  '20260402|INV-1|ACME|M-1|100.00|20260301|20260331|Fees|1|F|1|0|100.00|20260310|L110||A102|TK1|Work|24-6437381|100|Avery, Ann|PT|C-1';

const codesOf = (text: string) => parseLedes(text).problems.map((p) => [p.line, p.code]);

describe('parsing LEDES records', () => {
  it('reads LF and CRLF files alike and keeps each record’s line', () => {
    for (const eol of ['\n', '\r\n']) {
      const parsed = parseLedes(
        ['LEDES1998B[]', HEADER, `${RECORD}[]`, `${RECORD}[]`, ''].join(eol),
      );
      expect(parsed.problems).toEqual([]);
      expect(parsed.records.map((r) => r.line)).toEqual([3, 4]);
      expect(parsed.records[0]?.values[23]).toBe('C-1');
    }
  });

  it('splits on [] even without line breaks after it', () => {
    const parsed = parseLedes(`LEDES1998B[]${HEADER}${RECORD}[]${RECORD}[]`);
    expect(parsed.problems).toEqual([]);
    expect(parsed.records).toHaveLength(2);
    expect(parsed.records.map((r) => r.line)).toEqual([1, 1]);
  });

  it('tolerates trailing whitespace-only lines and a byte-order mark', () => {
    const parsed = parseLedes(`\uFEFFLEDES1998B[]\r\n${HEADER}\r\n${RECORD}[]\r\n \r\n\t\n`);
    expect(parsed.problems).toEqual([]);
    expect(parsed.recordCount).toBe(1);
  });

  it('refuses an unknown first line and stops there', () => {
    expect(codesOf(`LEDES2000[]\n${HEADER}\n${RECORD}[]\n`)).toEqual([[1, 'UNKNOWN_FORMAT']]);
    expect(codesOf('')).toEqual([[1, 'UNKNOWN_FORMAT']]);
  });

  it('reports a header with wrong names, order or count', () => {
    const swapped: string[] = [...LEDES_1998B_FIELDS];
    [swapped[0], swapped[1]] = [swapped[1] as string, swapped[0] as string];
    expect(
      codesOf(`LEDES1998B[]\nINVOICE_DATE|${swapped.slice(2).join('|')}[]\n${RECORD}[]\n`),
    ).toEqual([[2, 'HEADER_MISMATCH']]);
    const misspelt = HEADER.replace('EXP/FEE/INV_ADJ_TYPE', 'EXP_FEE_INV_ADJ_TYPE');
    const parsed = parseLedes(`LEDES1998B[]\n${misspelt}\n${RECORD}[]\n`);
    expect(parsed.problems.map((p) => [p.line, p.code, p.field])).toEqual([
      [2, 'HEADER_MISMATCH', 'EXP/FEE/INV_ADJ_TYPE'],
    ]);
  });

  it('reports a header line ending in a pipe instead of []', () => {
    const text = `LEDES1998B[]\n${LEDES_1998B_FIELDS.join('|')}|\n${RECORD}[]\n`;
    expect(codesOf(text)).toEqual([
      [2, 'HEADER_MISMATCH'],
      [2, 'MISSING_TERMINATOR'],
    ]);
  });

  it('reports a missing header when data starts on line 2', () => {
    expect(codesOf(`LEDES1998B[]\n${RECORD}[]\n`)).toEqual([[2, 'MISSING_HEADER']]);
  });

  it('reports records with a wrong field count or without the terminator', () => {
    const text = ['LEDES1998B[]', HEADER, `${RECORD}|[]`, RECORD, `${RECORD}[]`, ''].join('\n');
    const parsed = parseLedes(text);
    expect(parsed.problems.map((p) => [p.line, p.code])).toEqual([
      [3, 'FIELD_COUNT'],
      [4, 'MISSING_TERMINATOR'],
    ]);
    expect(parsed.records.map((r) => r.line)).toEqual([4, 5]);
    expect(parsed.recordCount).toBe(3);
  });

  it('reports a line break inside a value and keeps the lines after it counted', () => {
    const broken = RECORD.replace('|Work|', '|Work\r\ncontinued|');
    const parsed = parseLedes(
      ['LEDES1998B[]', HEADER, `${broken}[]`, `${RECORD}[]`, ''].join('\r\n'),
    );
    expect(parsed.problems.map((p) => [p.line, p.code])).toEqual([[3, 'LINE_BREAK_IN_VALUE']]);
    expect(parsed.records.map((r) => r.line)).toEqual([3, 5]);
    expect(parsed.records[0]?.values[18]).toBe('Work\r\ncontinued');
  });

  it('reports a file without line items', () => {
    expect(codesOf(`LEDES1998B[]\n${HEADER}\n`)).toEqual([[3, 'NO_LINES']]);
  });
});

describe('LEDES field layout', () => {
  it('numbers the field index table in spec order for all 52 fields', () => {
    expect(LEDES_98BI_FIELDS).toHaveLength(52);
    expect(LEDES_98BI_FIELDS.slice(0, 24)).toEqual([...LEDES_1998B_FIELDS]);
    expect(Object.keys(F)).toEqual([...LEDES_98BI_FIELDS]);
    LEDES_98BI_FIELDS.forEach((name, index) => expect(F[name]).toBe(index));
  });
});
