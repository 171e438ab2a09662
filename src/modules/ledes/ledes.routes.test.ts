import { readFile } from 'node:fs/promises';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../http/app.js';
import type { TestDatabase } from '../../test/database.js';
import { openTestDatabase } from '../../test/database.js';
import { buildUser, signIn } from '../../test/factories.js';

let t: TestDatabase;
let app: FastifyInstance;
let cookie: string;
let sample: Buffer;

beforeAll(async () => {
  t = await openTestDatabase();
  app = await buildApp({ ctx: t.ctx });
  cookie = await signIn(app, (await buildUser(t.db, { roles: ['billing_coordinator'] })).email);
  sample = await readFile(
    new URL('../../domain/ledes/fixtures/ledes_98B_sample.txt', import.meta.url),
  );
});
afterAll(async () => {
  await app.close();
  await t.close();
});

const validate = (payload: string | Buffer, headers: Record<string, string> = { cookie }) =>
  app.inject({
    method: 'POST',
    url: '/api/v1/ledes/validate',
    headers: { 'content-type': 'text/plain', ...headers },
    payload,
  });

describe('POST /api/v1/ledes/validate', () => {
  it('returns every problem of the file by line and field, with the summary', async () => {
    const response = await validate(sample);
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body.format).toBe('LEDES1998B');
    expect(body.summary).toEqual({ invoices: 2, lines: 7, errors: 3, warnings: 0 });
    expect(body.problems.map((p: { line: number; code: string }) => [p.line, p.code])).toEqual([
      [8, 'INVOICE_TOTAL_MISMATCH'],
      [9, 'INVOICE_NUMBER_REUSED'],
      [9, 'DUPLICATE_LINE_ITEM_NUMBER'],
    ]);
  });

  it('answers text that is not LEDES with format null, and binary content with 400', async () => {
    const csv = await validate('entry_id,hours\nE1,1.5\n');
    expect(csv.statusCode).toBe(200);
    expect(csv.json()).toMatchObject({ format: null, problems: [{ code: 'UNKNOWN_FORMAT' }] });
    const binary = await validate(Buffer.from([0x25, 0x50, 0x44, 0x46, 0, 1]));
    expect(binary.statusCode).toBe(400);
    expect(binary.json().code).toBe('LEDES_NOT_TEXT');
  });

  it('answers 401 without credentials and 403 to a timekeeper', async () => {
    const anonymous = await validate(sample, {});
    expect(anonymous.statusCode).toBe(401);
    const timekeeper = await buildUser(t.db, { roles: ['timekeeper'] });
    const refused = await validate(sample, { cookie: await signIn(app, timekeeper.email) });
    expect(refused.statusCode).toBe(403);
  });

  it('documents the text/plain body in the OpenAPI description', async () => {
    const doc = (await app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    const operation = doc.paths['/api/v1/ledes/validate'].post;
    expect(Object.keys(operation.requestBody.content)).toEqual(['text/plain']);
  });
});
