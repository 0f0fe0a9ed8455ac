import { readFileSync } from 'node:fs';
import { Script } from 'node:vm';

interface LameJs {
  Mp3Encoder: new (
    channels: number,
    sampleRate: number,
    kbps: number,
  ) => {
    encodeBuffer(left: Int16Array): Uint8Array;
    flush(): Uint8Array;
  };
}

let lame: LameJs | undefined;

/**
 * @breezystack/lamejs (the maintained lamejs fork) ships an ES module and, for `require`, a
 * browser IIFE that only declares a global `lamejs` and exports nothing. Running that file's
 * text in this context, wrapped in a function that hands the global back, gives the encoder
 * without an ES-module import (which Nest's CommonJS build and jest cannot do) and without
 * touching globalThis.
 */
function loadLame(): LameJs {
  if (lame) return lame;
  const path = require.resolve('@breezystack/lamejs');
  const source = readFileSync(path, 'utf8');
  const factory = new Script(`(function () {\n${source}\nreturn lamejs;\n})`, {
    filename: path,
  }).runInThisContext() as () => LameJs;
  lame = factory();
  return lame;
}

/** Samples per MPEG frame; chunks of whole frames keep each encode call short. */
const FRAME = 1152;
const FRAMES_PER_SLICE = 16;

/**
 * 16-bit mono PCM → MP3 (constant bit rate). Encoding is CPU work on the event loop (about
 * 1.6 s for 30 s of speech on the shared test box), so it goes in slices of ~0.75 s of audio with a
 * yield between them: other requests keep being served while a long speech is encoded.
 */
export async function encodeMp3(pcm: Int16Array, sampleRate: number, kbps = 64): Promise<Buffer> {
  const encoder = new (loadLame().Mp3Encoder)(1, sampleRate, kbps);
  const out: Buffer[] = [];
  const slice = FRAME * FRAMES_PER_SLICE;
  for (let at = 0; at < pcm.length; at += slice) {
    const part = encoder.encodeBuffer(pcm.subarray(at, at + slice));
    if (part.length > 0) out.push(Buffer.from(part));
    if (at + slice < pcm.length) await new Promise<void>((resolve) => setImmediate(resolve));
  }
  const tail = encoder.flush();
  if (tail.length > 0) out.push(Buffer.from(tail));
  return Buffer.concat(out);
}
