import type { GeminiPart } from '../../upstream/gemini-types';

/** What one or more Gemini parts say, in terms every dialect has: text, reasoning, a call. */
export type Piece =
  | { kind: 'text'; text: string }
  | { kind: 'reasoning'; text: string }
  | {
      kind: 'call';
      name: string;
      args: Record<string, unknown>;
      signature?: string;
      /** Gemini's own call id, when it gives one (newer models do). */
      id?: string;
    };

function pieceOf(part: GeminiPart): Piece | undefined {
  if (part.functionCall) {
    const { name, args, id } = part.functionCall;
    const piece: Piece = { kind: 'call', name, args: args ?? {}, signature: part.thoughtSignature };
    if (id) piece.id = id;
    return piece;
  }
  if (typeof part.text === 'string') {
    if (part.text === '') return undefined;
    return { kind: part.thought ? 'reasoning' : 'text', text: part.text };
  }
  // Image output has no field in the chat dialects; a markdown data-URL image is what chat UIs render.
  if (part.inlineData && !part.thought && part.inlineData.mimeType.startsWith('image/')) {
    const { mimeType, data } = part.inlineData;
    return { kind: 'text', text: `![image](data:${mimeType};base64,${data})` };
  }
  if (part.executableCode) {
    const lang = (part.executableCode.language ?? '')
      .toLowerCase()
      .replace('language_unspecified', '');
    return { kind: 'text', text: `\n\`\`\`${lang}\n${part.executableCode.code}\n\`\`\`\n` };
  }
  if (part.codeExecutionResult?.output) {
    return {
      kind: 'text',
      text: `\n\`\`\`\n${part.codeExecutionResult.output.replace(/\n$/, '')}\n\`\`\`\n`,
    };
  }
  return undefined;
}

/** Gemini parts → pieces, with neighbouring text (or thought) parts joined into one. */
export function readParts(parts: GeminiPart[] | undefined): Piece[] {
  const pieces: Piece[] = [];
  for (const part of parts ?? []) {
    const piece = pieceOf(part);
    if (!piece) continue;
    const last = pieces[pieces.length - 1];
    if (piece.kind !== 'call' && last?.kind === piece.kind) last.text += piece.text;
    else pieces.push(piece);
  }
  return pieces;
}
