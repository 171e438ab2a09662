/** The text a PDF's uncompressed content streams show (hex strings in TJ/Tj operators). */
export function pdfText(bytes: Buffer): string {
  const source = bytes.toString('latin1');
  const shown: string[] = [];
  for (const match of source.matchAll(
    /\[((?:<[0-9a-fA-F]*>|[-\d.\s])*)\]\s*TJ|<([0-9a-fA-F]*)>\s*Tj/g,
  )) {
    const hex =
      match[1] === undefined
        ? [match[2]!]
        : [...match[1].matchAll(/<([0-9a-fA-F]*)>/g)].map((m) => m[1]!);
    shown.push(hex.map((h) => Buffer.from(h, 'hex').toString('latin1')).join(''));
  }
  return shown.join('\n');
}
