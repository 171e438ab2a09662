import { describe, expect, it } from 'vitest';
import { decodeLedesFile } from './ledes-file.js';

describe('decoding a LEDES file', () => {
  it('reads UTF-8 as UTF-8 and other bytes as windows-1252', () => {
    expect(decodeLedesFile(Buffer.from('Café ’', 'utf8'))).toBe('Café ’');
    expect(decodeLedesFile(new Uint8Array([0x43, 0x61, 0x66, 0xe9, 0x20, 0x92, 0x80]))).toBe(
      'Café ’€',
    );
  });

  it('refuses UTF-16 and binary content as not text', () => {
    const utf16 = Buffer.from('\uFEFFLEDES1998B[]', 'utf16le');
    expect(() => decodeLedesFile(utf16)).toThrow(/UTF-16/);
    expect(() => decodeLedesFile(new Uint8Array([0x4c, 0x45, 0, 0x44]))).toThrow(/offset 2/);
  });
});
