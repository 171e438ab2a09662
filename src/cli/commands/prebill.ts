import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { SYSTEM_ACTOR } from '../../domain/policy.js';
import { loadPrebill } from '../../modules/prebill/prebill-packet.js';
import { renderPrebillHtml } from '../../modules/prebill/render-prebill-html.js';
import { renderPrebillPdf } from '../../modules/prebill/render-prebill-pdf.js';
import { globalOptions, printJson, UsageError, withDatabase } from '../runtime.js';

/** Registers `matterflow prebill <invoice-number> --out file.pdf|file.html`. */
export function registerPrebill(program: Command): void {
  program
    .command('prebill <invoice-number>')
    .description('Write the internal pre-bill packet of an invoice as PDF (or HTML for .html).')
    .requiredOption('--out <file>', 'where to write it: a .pdf or .html file')
    .action(async (number: string, options: { out: string }, command) => {
      const html = /\.html?$/i.test(options.out);
      if (!html && !/\.pdf$/i.test(options.out))
        throw new UsageError(`--out must end in .pdf or .html, got "${options.out}".`);
      const global = globalOptions(command as Command);
      const packet = await withDatabase(global, (ctx) =>
        loadPrebill(ctx, SYSTEM_ACTOR, { number }),
      );
      const bytes = html ? renderPrebillHtml(packet) : await renderPrebillPdf(packet);
      await writeFile(options.out, bytes);
      const size = typeof bytes === 'string' ? Buffer.byteLength(bytes) : bytes.length;
      if (global.json)
        return printJson({ invoice_number: packet.invoice_number, out: options.out, bytes: size });
      process.stdout.write(
        `Wrote the pre-bill of ${packet.invoice_number} to ${options.out} (${size} bytes).\n`,
      );
    });
}
