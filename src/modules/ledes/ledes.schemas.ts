import { z } from 'zod';

export const ledesProblemSchema = z.object({
  line: z.number().int().describe('1-based line of the file the record starts on.'),
  field: z.string().nullable().describe('LEDES field name; null for the whole record.'),
  severity: z.enum(['error', 'warning']),
  code: z
    .string()
    .describe('Stable problem code, such as LINE_TOTAL_MISMATCH (see docs/ledes.md).'),
  message: z.string(),
});

export const ledesValidationSchema = z.object({
  format: z
    .enum(['LEDES1998B', 'LEDES98BI V2'])
    .nullable()
    .describe('Null when line 1 is not a LEDES tag (the problems then say what was found).'),
  summary: z.object({
    invoices: z.number().int(),
    lines: z.number().int(),
    errors: z.number().int(),
    warnings: z.number().int(),
  }),
  problems: z.array(ledesProblemSchema),
});

export const ledesFileBodySchema = z
  .string()
  .describe(
    'The LEDES 1998B or 98BI V2 file itself, sent as text/plain (up to 10 MB). UTF-8 or ' +
      'windows-1252 bytes are accepted; UTF-16 and binary content are refused.',
  );
