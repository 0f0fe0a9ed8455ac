import { randomBytes } from 'node:crypto';
import type { Piece } from '../common/part-reader';
import type { ThoughtSignatureStore } from '../common/thought-signature-store';
import type { ToolCall } from './openai-types';

const token = (bytes: number) => randomBytes(bytes).toString('hex');

export const newCompletionId = (): string => `chatcmpl-${token(12)}`;

/**
 * Gives a function call a unique OpenAI id (Gemini gives none, and reusing the function name
 * merges parallel calls in clients) and keeps its thought signature under that id. The signature
 * also goes out in `extra_content.google`, where Google's own OpenAI endpoint puts it, for clients
 * that carry it back.
 */
export function issueToolCall(
  piece: Extract<Piece, { kind: 'call' }>,
  signatures: ThoughtSignatureStore,
): ToolCall {
  const id = `call_${token(12)}`;
  const call: ToolCall = {
    id,
    type: 'function',
    function: { name: piece.name, arguments: JSON.stringify(piece.args) },
  };
  if (piece.signature) {
    signatures.set(id, piece.signature);
    call.extra_content = { google: { thought_signature: piece.signature } };
  }
  return call;
}
