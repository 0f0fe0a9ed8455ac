/**
 * Gemini's thought signature travels to Anthropic clients as a `thinking` block's `signature`,
 * which Claude Code and the SDK echo back verbatim on the next turn. The prefix marks the ones the
 * proxy issued: a session resumed from real Claude models carries Anthropic's own signatures,
 * which Gemini would reject, so only prefixed ones are decoded.
 */
const PREFIX = 'gemini-thought-signature.';

export function toAnthropicSignature(thoughtSignature: string): string {
  return `${PREFIX}${thoughtSignature}`;
}

/** The Gemini signature a block's `signature` carries, or undefined when it is not one of ours. */
export function fromAnthropicSignature(signature: unknown): string | undefined {
  if (typeof signature !== 'string' || !signature.startsWith(PREFIX)) return undefined;
  const value = signature.slice(PREFIX.length);
  return value === '' ? undefined : value;
}
