import { randomBytes } from 'node:crypto';

const PREFIX = randomBytes(6).toString('hex');
let counter = 0;

/** An id unique to this process, cheap enough for every response (no entropy drawn per call). */
export function uniqueId(): string {
  counter += 1;
  return `${PREFIX}${counter.toString(16).padStart(8, '0')}`;
}
