import { randomBytes } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { sniffFormat } from '../../src/image/format.js';
import { xilinxBin } from '../helpers/images.js';

/** A .bit file: the 13-byte preamble, fields a-d, then e with the bitstream length. */
function bitFile(bitstream: Buffer, declared = bitstream.length): Buffer {
  const field = (key: string, text: string): Buffer => {
    const value = Buffer.from(`${text}\0`, 'latin1');
    const length = Buffer.alloc(2);
    length.writeUInt16BE(value.length);
    return Buffer.concat([Buffer.from(key), length, value]);
  };
  const e = Buffer.alloc(5);
  e.write('e');
  e.writeUInt32BE(declared, 1);
  return Buffer.concat([
    Buffer.from('00090ff00ff00ff00ff0000001', 'hex'),
    field('a', 'psl_top;UserID=0XFFFFFFFF;Version=2016.4'),
    field('b', 'xcku060-ffva1156-2-e'),
    field('c', '2017/03/01'),
    field('d', '12:34:56'),
    e,
    bitstream,
  ]);
}

describe('format sniffing', () => {
  it('a raw Xilinx .bin: the sync word after the bus-width pattern', () => {
    const sniff = sniffFormat(xilinxBin(100_000), 'psl.bin');
    expect(sniff).toMatchObject({
      kind: 'xilinx-bin',
      confidence: 'certain',
      refusal: null,
      warnings: [],
    });
    expect(sniff.details.syncWordOffset).toBe(32);
    expect(sniff.evidence).toMatch(/bus-width pattern/);
  });

  it('a sync word alone (no bus-width pattern) is likely, not certain', () => {
    const data = Buffer.concat([
      randomBytes(5000).map((b) => (b === 0xaa ? 0 : b)),
      Buffer.from('aa995566', 'hex'),
      randomBytes(5000),
    ]);
    expect(sniffFormat(data, 'x.bin')).toMatchObject({ kind: 'xilinx-bin', confidence: 'likely' });
  });

  it('a bit-reversed sync word is recognised with a warning', () => {
    const data = Buffer.concat([
      Buffer.alloc(64, 0xff),
      Buffer.from('5599aa66', 'hex'),
      randomBytes(4000),
    ]);
    const sniff = sniffFormat(data, 'x.bin');
    expect(sniff.kind).toBe('xilinx-bin');
    expect(sniff.warnings.join(' ')).toMatch(/bit order of every byte reversed/);
  });

  it('a Xilinx .bit file: its header fields are read and its header is warned about', () => {
    const sniff = sniffFormat(bitFile(xilinxBin(50_000)), 'psl.bit');
    expect(sniff.kind).toBe('xilinx-bit');
    expect(sniff.details).toMatchObject({
      design: 'psl_top;UserID=0XFFFFFFFF;Version=2016.4',
      part: 'xcku060-ffva1156-2-e',
      date: '2017/03/01',
      time: '12:34:56',
      bitstreamLength: 50_000,
    });
    expect(sniff.refusal).toBeNull();
    expect(sniff.warnings.join(' ')).toMatch(/\.bit file.*normally the raw \.bin/);
  });

  it('a .bit file shorter than its header declares is refused as truncated', () => {
    const sniff = sniffFormat(bitFile(xilinxBin(50_000), 60_000), 'psl.bit');
    expect(sniff.refusal?.message).toMatch(
      /truncated.*60,000 bytes of bitstream and 10,000 of them are missing/,
    );
  });

  it('Intel/Altera raw binary is a guess from 0xFF padding, likelier with an .rbf name', () => {
    const data = Buffer.concat([
      Buffer.alloc(64, 0xff),
      randomBytes(20_000).map((b) => (b === 0xaa || b === 0x55 ? 1 : b)),
    ]);
    expect(sniffFormat(data, 'card.bin')).toMatchObject({
      kind: 'intel-raw-binary',
      confidence: 'guess',
    });
    expect(sniffFormat(data, 'card.RBF')).toMatchObject({
      kind: 'intel-raw-binary',
      confidence: 'likely',
    });
    expect(sniffFormat(data, 'card.rbf').warnings.join(' ')).toMatch(
      /no signature: this is a guess/,
    );
  });

  it('unknown bytes are a warning, not a refusal', () => {
    const data = Buffer.from(
      randomBytes(20_000).map((b) => (b === 0xaa || b === 0x55 || b === 0xff ? 1 : b)),
    );
    data[0] = 0x01;
    const sniff = sniffFormat(data, 'mystery.img');
    expect(sniff).toMatchObject({ kind: 'unknown', confidence: 'none', refusal: null });
    expect(sniff.warnings).toHaveLength(1);
  });

  it.each([
    ['gzip', gzipSync(randomBytes(1000)), /gzip-compressed/],
    ['zip', Buffer.concat([Buffer.from('504b0304', 'hex'), randomBytes(100)]), /ZIP archive/],
    [
      'ELF',
      Buffer.concat([Buffer.from('7f454c46', 'hex'), randomBytes(100)]),
      /executable \(ELF\)/,
    ],
    [
      'HTML',
      Buffer.from('\n<!DOCTYPE html><html><body>404 Not Found</body></html>'),
      /web page \(HTML\)/,
    ],
    ['Intel HEX', Buffer.from(':100000000C9434000C9446000C9446000C9446006A\n'), /Intel HEX text/],
    ['.rbt', Buffer.from('Xilinx ASCII Bitstream\nCreated by Bitstream\n'), /ASCII bitstream/],
    ['plain text', Buffer.from('hello, this is not an image\n'), /The image is text/],
  ])('refuses %s as certainly not an FPGA image', (_name, data, message) => {
    const sniff = sniffFormat(data, 'image.bin');
    expect(sniff.kind).toBe('not-an-image');
    expect(sniff.refusal?.message).toMatch(message);
    expect(sniff.refusal?.fix.length).toBeGreaterThan(10);
  });

  it('refuses a file of one repeated byte (a placeholder or an erased dump)', () => {
    expect(sniffFormat(Buffer.alloc(200_000), 'x.bin').refusal?.message).toMatch(
      /200,000 bytes of 0x00 and nothing else/,
    );
    expect(sniffFormat(Buffer.alloc(70_000, 0xff), 'x.rbf').refusal?.message).toMatch(
      /of 0xFF and nothing else/,
    );
    const almost = Buffer.alloc(200_000);
    almost[199_999] = 1;
    expect(sniffFormat(almost, 'x.bin').kind).not.toBe('not-an-image');
  });
});
