/**
 * The media type of uploaded bytes, read from their first bytes: clients often declare uploads
 * as application/octet-stream (the openai SDK's toFile without a type), and a declared type
 * proves nothing about the content Google will be asked to read.
 */

const ascii = (data: Buffer, start: number, end: number) =>
  data.subarray(start, end).toString('latin1');

/** The image types Gemini takes as input (png, jpeg, webp, heic, heif), or undefined. */
export function sniffImage(data: Buffer): string | undefined {
  if (data.length >= 8 && data.readUInt32BE(0) === 0x89504e47) return 'image/png';
  if (data.length >= 3 && data[0] === 0xff && data[1] === 0xd8 && data[2] === 0xff) {
    return 'image/jpeg';
  }
  if (ascii(data, 0, 4) === 'RIFF' && ascii(data, 8, 12) === 'WEBP') return 'image/webp';
  if (ascii(data, 4, 8) === 'ftyp') {
    const brand = ascii(data, 8, 12);
    if (['heic', 'heix', 'heim', 'heis'].includes(brand)) return 'image/heic';
    if (['mif1', 'msf1', 'heif'].includes(brand)) return 'image/heif';
  }
  return undefined;
}

/**
 * The type to send Google for an uploaded recording: Gemini's audio types (wav, mp3, aiff, aac,
 * ogg, flac), and the containers OpenAI also takes (mp4/m4a, webm, mpeg) as Gemini's video types,
 * whose sound track Gemini hears. Undefined for anything else.
 */
export function sniffAudio(data: Buffer): string | undefined {
  const head4 = ascii(data, 0, 4);
  if (head4 === 'RIFF' && ascii(data, 8, 12) === 'WAVE') return 'audio/wav';
  if (head4 === 'fLaC') return 'audio/flac';
  if (head4 === 'OggS') return 'audio/ogg';
  if (head4 === 'FORM' && ['AIFF', 'AIFC'].includes(ascii(data, 8, 12))) return 'audio/aiff';
  if (ascii(data, 0, 3) === 'ID3') return 'audio/mp3';
  if (data.length >= 4 && data.readUInt32BE(0) === 0x1a45dfa3) return 'video/webm';
  if (ascii(data, 4, 8) === 'ftyp') return 'video/mp4';
  if (data.length >= 4 && data.readUInt32BE(0) === 0x000001ba) return 'video/mpeg';
  if (data.length >= 2 && data[0] === 0xff) {
    // ADTS AAC: sync 0xFFF, layer bits 00; MPEG audio frame: sync 0xFFE, layer bits non-zero.
    if ((data[1] & 0xf6) === 0xf0) return 'audio/aac';
    if ((data[1] & 0xe0) === 0xe0 && (data[1] & 0x06) !== 0) return 'audio/mp3';
  }
  return undefined;
}
