import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCliCapturing } from '../../test/cli.js';
import { buildInvoice } from '../../domain/ledes/fixtures/build-invoice.js';
import { writeLedes1998B } from '../../domain/ledes/index.js';

const sample = fileURLToPath(
  new URL('../../domain/ledes/fixtures/ledes_98B_sample.txt', import.meta.url),
);

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'matterflow-ledes-cli-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** Runs the CLI in-process, capturing what it writes. */
const cli = (...args: string[]) => runCliCapturing(args);

async function fileWith(name: string, content: string | Uint8Array): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, content);
  return path;
}

describe('matterflow ledes validate', () => {
  it('lists each problem of the public 1998B sample with a summary and exits 1', async () => {
    const result = await cli('ledes', 'validate', sample);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('');
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines.slice(0, 3).map((line) => line.split('  ').slice(0, 4))).toEqual([
      ['line 8', 'INVOICE_TOTAL', 'error', 'INVOICE_TOTAL_MISMATCH'],
      ['line 9', 'CLIENT_ID', 'error', 'INVOICE_NUMBER_REUSED'],
      ['line 9', 'LINE_ITEM_NUMBER', 'error', 'DUPLICATE_LINE_ITEM_NUMBER'],
    ]);
    expect(lines[3]).toBe(`${sample}: LEDES1998B, 2 invoices, 7 lines, 3 errors, 0 warnings`);
  });

  it('prints format, summary and problems with --json, before or after the command', async () => {
    for (const args of [
      ['--json', 'ledes', 'validate', sample],
      ['ledes', 'validate', sample, '--json'],
    ]) {
      const result = await cli(...args);
      expect(result.code).toBe(1);
      const report = JSON.parse(result.stdout);
      expect(Object.keys(report)).toEqual(['format', 'summary', 'problems']);
      expect(report.format).toBe('LEDES1998B');
      expect(report.summary).toEqual({ invoices: 2, lines: 7, errors: 3, warnings: 0 });
      expect(report.problems[0]).toEqual({
        line: 8,
        field: 'INVOICE_TOTAL',
        severity: 'error',
        code: 'INVOICE_TOTAL_MISMATCH',
        message: expect.stringContaining('2500.00'),
      });
    }
  });

  it('exits 0 for a file the writer produced, and for warnings only', async () => {
    const clean = await fileWith('clean.txt', writeLedes1998B([buildInvoice()]).text);
    const result = await cli('ledes', 'validate', clean);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toBe(`${clean}: LEDES1998B, 1 invoice, 2 lines, 0 errors, 0 warnings\n`);

    // windows-1252 bytes (0x92 is a curly apostrophe) are decoded and warned about, not refused.
    const text = writeLedes1998B([buildInvoice({ description: 'Client~s matter' })]).text;
    const bytes = Buffer.from(text, 'latin1');
    bytes[bytes.indexOf('~')] = 0x92;
    const warned = await cli('--json', 'ledes', 'validate', await fileWith('cp1252.txt', bytes));
    expect(warned.code).toBe(0);
    expect(JSON.parse(warned.stdout).problems).toEqual([
      expect.objectContaining({ line: 3, field: 'INVOICE_DESCRIPTION', code: 'NON_ASCII' }),
    ]);
    expect(JSON.parse(warned.stdout).problems[0].message).toContain('"’"');
  });

  it('exits 2 for a missing file, a file that is not LEDES, an empty file and a binary file', async () => {
    const missing = await cli('ledes', 'validate', join(dir, 'nope.txt'));
    expect(missing).toMatchObject({ code: 2, stdout: '' });
    expect(missing.stderr).toContain('ENOENT');

    const csv = await fileWith('entries.csv', 'entry_id,matter_code,hours\nE1,2026-0001,1.5\n');
    const notLedes = await cli('ledes', 'validate', csv);
    expect(notLedes).toMatchObject({ code: 2, stdout: '' });
    expect(notLedes.stderr).toContain('is not a LEDES file: Line 1 must be LEDES1998B[]');
    const asJson = await cli('--json', 'ledes', 'validate', csv);
    expect(asJson.code).toBe(2);
    expect(JSON.parse(asJson.stdout)).toMatchObject({
      format: null,
      problems: [{ line: 1, code: 'UNKNOWN_FORMAT' }],
    });

    const empty = await cli('ledes', 'validate', await fileWith('empty.txt', ''));
    expect(empty.code).toBe(2);
    expect(empty.stderr).toContain('The file is empty');

    const zip = await fileWith('archive.zip', new Uint8Array([0x50, 0x4b, 3, 4, 0, 0, 8, 0]));
    const binary = await cli('ledes', 'validate', zip);
    expect(binary.code).toBe(2);
    expect(binary.stderr).toContain('binary data');
  });

  it('refuses a missing file argument as bad usage', async () => {
    expect((await cli('ledes', 'validate')).code).toBe(2);
  });
});
