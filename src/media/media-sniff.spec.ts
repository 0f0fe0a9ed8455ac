import { sniffAudio, sniffImage } from './media-sniff';

const bytes = (...parts: (string | number[])[]) =>
  Buffer.concat(
    parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'latin1') : Buffer.from(p))),
  );

describe('sniffAudio', () => {
  it.each([
    [bytes('RIFF', [0, 0, 0, 0], 'WAVEfmt '), 'audio/wav'],
    [bytes('ID3', [4, 0, 0]), 'audio/mp3'],
    [bytes([0xff, 0xfb, 0x90, 0x00]), 'audio/mp3'],
    [bytes([0xff, 0xf1, 0x50, 0x80]), 'audio/aac'],
    [bytes('fLaC', [0, 0, 0, 34]), 'audio/flac'],
    [bytes('OggS', [0, 2]), 'audio/ogg'],
    [bytes('FORM', [0, 0, 0, 0], 'AIFF'), 'audio/aiff'],
    [bytes([0, 0, 0, 32], 'ftypM4A '), 'video/mp4'],
    [bytes([0x1a, 0x45, 0xdf, 0xa3]), 'video/webm'],
    [bytes('hello world'), undefined],
    [bytes([0x89], 'PNG\r\n'), undefined],
  ])('reads %j as %s', (data, expected) => {
    expect(sniffAudio(data)).toBe(expected);
  });
});

describe('sniffImage', () => {
  it.each([
    [bytes([0x89], 'PNG\r\n', [0x1a, 0x0a]), 'image/png'],
    [bytes([0xff, 0xd8, 0xff, 0xe0]), 'image/jpeg'],
    [bytes('RIFF', [0, 0, 0, 0], 'WEBPVP8 '), 'image/webp'],
    [bytes([0, 0, 0, 24], 'ftypheic'), 'image/heic'],
    [bytes('GIF89a'), undefined],
    [bytes('RIFF', [0, 0, 0, 0], 'WAVE'), undefined],
  ])('reads %j as %s', (data, expected) => {
    expect(sniffImage(data)).toBe(expected);
  });
});
