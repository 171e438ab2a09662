/** Reading the .eml files the offline mail channel writes (for `matterflow mail`). */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

export interface MailFile {
  file: string;
  date: string;
  to: string;
  subject: string;
}

/** Decodes RFC 2047 encoded words (=?UTF-8?B?…?= and =?UTF-8?Q?…?=) in a header value. */
export function decodeHeader(value: string): string {
  return value
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(
      /=\?([^?]+)\?([BbQq])\?([^?]*)\?=/g,
      (_, _charset: string, encoding: string, text: string) =>
        encoding.toUpperCase() === 'B'
          ? Buffer.from(text, 'base64').toString('utf8')
          : Buffer.from(
              text
                .replace(/_/g, ' ')
                .replace(/=([0-9A-Fa-f]{2})/g, (_m, hex: string) =>
                  String.fromCharCode(parseInt(hex, 16)),
                ),
              'latin1',
            ).toString('utf8'),
    );
}

/** The header fields of a message (folded lines joined). */
export function parseHeaders(message: string): Map<string, string> {
  const head = message.split(/\r?\n\r?\n/, 1)[0] ?? '';
  const headers = new Map<string, string>();
  let last = '';
  for (const line of head.split(/\r?\n/)) {
    if (/^\s/.test(line) && last) {
      headers.set(last, `${headers.get(last)} ${line.trim()}`);
      continue;
    }
    const colon = line.indexOf(':');
    if (colon < 0) continue;
    last = line.slice(0, colon).toLowerCase();
    headers.set(last, line.slice(colon + 1).trim());
  }
  return headers;
}

/** The messages in `dir`, oldest first; an absent folder has none. */
export async function listMail(dir: string): Promise<MailFile[]> {
  let names: string[];
  try {
    names = (await readdir(dir)).filter((name) => name.endsWith('.eml')).sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const files: MailFile[] = [];
  for (const file of names) {
    const headers = parseHeaders(await readFile(join(dir, file), 'utf8'));
    files.push({
      file,
      date: headers.get('date') ?? '',
      to: decodeHeader(headers.get('to') ?? ''),
      subject: decodeHeader(headers.get('subject') ?? ''),
    });
  }
  return files;
}
