/**
 * JSON that clients embed as text (tool results, tool-call arguments) escapes the body's own depth
 * limit: parsed here, it would reach the upstream JSON.stringify, whose stack it can overflow.
 */
export const MAX_EMBEDDED_JSON_DEPTH = 256;

/** Whether JSON text nests no deeper than `max`, found by one scan, without parsing it. */
export function jsonDepthWithin(text: string, max = MAX_EMBEDDED_JSON_DEPTH): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > max) return false;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return true;
}
