import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildInternational, buildInvoice } from './fixtures/build-invoice.js';
import { edited } from './fixtures/ledes-text.js';
import { LEDES_98BI_FIELDS } from './ledes1998b.js';
import { validateLedes } from './validator.js';

// Values a damaged or hostile file may hold: huge numbers, separators, terminators, line breaks.
const nasty = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.constantFrom(
    '',
    '-',
    '.',
    '1e9',
    '99999999999999.9999',
    '-0',
    '0.00001',
    '[]',
    '|',
    '\r\n',
    'NULL',
  ),
  fc.bigInt({ min: -(10n ** 20n), max: 10n ** 20n }).map(String),
);

describe('validating damaged files', () => {
  it('reports problems and never throws, whatever the values', () => {
    const invoice = buildInvoice({ international: buildInternational() });
    const edit = fc.tuple(
      fc.integer({ min: 0, max: 1 }),
      fc.constantFrom(...LEDES_98BI_FIELDS),
      nasty,
    );
    fc.assert(
      fc.property(fc.array(edit, { maxLength: 6 }), fc.boolean(), (edits, intl) => {
        const usable = edits.filter(([, field]) => intl || LEDES_98BI_FIELDS.indexOf(field) < 24);
        const report = validateLedes(edited(usable, [invoice], intl));
        expect(report.summary.errors + report.summary.warnings).toBe(report.problems.length);
      }),
      { numRuns: 300 },
    );
  });

  it('never throws on arbitrary text', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom(...'LEDS1998B[]|\r\n 0123'.split('')) }),
        (text) => {
          expect(() => validateLedes(`LEDES1998B[]\n${text}`)).not.toThrow();
          expect(() => validateLedes(text)).not.toThrow();
        },
      ),
    );
  });
});
