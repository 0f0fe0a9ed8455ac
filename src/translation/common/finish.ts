/** How Gemini's answer ended, in terms every dialect can name: its own stop, the token limit, or a filter. */
export type GeminiFinish = 'stop' | 'length' | 'filtered';

// Gemini stops for these when its filters, not the model, ended the answer.
const FILTERED = new Set([
  'SAFETY',
  'RECITATION',
  'BLOCKLIST',
  'PROHIBITED_CONTENT',
  'SPII',
  'IMAGE_SAFETY',
  'IMAGE_PROHIBITED_CONTENT',
  'IMAGE_RECITATION',
]);

/** Gemini's finishReason, classified; any reason not about length or filters is a stop. */
export function classifyFinish(reason: string | undefined): GeminiFinish {
  if (reason === 'MAX_TOKENS') return 'length';
  if (reason !== undefined && FILTERED.has(reason)) return 'filtered';
  return 'stop';
}
