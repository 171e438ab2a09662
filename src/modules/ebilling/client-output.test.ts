import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM_ACTOR } from '../../domain/policy.js';
import { openTestDatabase, type TestDatabase } from '../../test/database.js';
import { billCase, markApproved } from './ebilling-fixtures.js';
import { exportInvoiceLedes } from './export-ledes.js';
import { checkReadiness } from './readiness.js';

let t: TestDatabase;
beforeAll(async () => {
  t = await openTestDatabase();
});
afterAll(() => t.close());

describe('what reaches the client', () => {
  it('never puts an internal note in the file or the readiness report', async () => {
    const c = await billCase(t.db, t.ctx, { code: 'NOTE' });
    const note = 'Partner: client pays late, do not discount again';
    await t.db
      .updateTable('invoice_line')
      .set({ internal_note: note })
      .where('invoice_id', '=', c.invoiceId)
      .execute();
    await markApproved(t.db, c.invoiceId);
    const exported = await exportInvoiceLedes(t.ctx, SYSTEM_ACTOR, { id: c.invoiceId });
    expect(exported.content.toString('utf8')).not.toContain('pays late');
    const { report } = await checkReadiness(t.db, c.invoiceId);
    expect(JSON.stringify(report)).not.toContain('pays late');
  });

  it("taxes 98BI lines at the matter's own rate over the client's", async () => {
    const c = await billCase(t.db, t.ctx, {
      code: 'MTX',
      client: { ebilling_format: 'LEDES98BI', tax_rate: '0.20', tax_type: 'VAT' },
      matter: { tax_rate: '0.10' },
    });
    await markApproved(t.db, c.invoiceId);
    const text = (await exportInvoiceLedes(t.ctx, SYSTEM_ACTOR, { id: c.invoiceId })).content
      .toString('utf8')
      .split('\r\n');
    // Line 1: 1.3 h × 500.00 = 650.00 net, 65.00 tax at 10%, 715.00 total.
    expect(text[2]).toContain('|1|F|1.3|0.00|715.00|');
    expect(text[2]).toContain('|0.1|65.00|VAT|');
  });
});
