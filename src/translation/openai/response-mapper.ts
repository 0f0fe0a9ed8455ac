import type { GeminiCandidate, GeminiPart, GeminiResponse } from '../../upstream/gemini-types';
import { mapFinishReason } from './finish-reason';
import type {
  ChatCompletion,
  ChatCompletionChoice,
  ChatCompletionImage,
  ToolCall,
} from './openai-types';
import { readParts } from '../common/part-reader';
import { issueToolCall, newCompletionId } from './tool-calls';
import type { ThoughtSignatureStore } from '../common/thought-signature-store';
import { toOpenAIUsage } from './usage';

export interface ResponseContext {
  /** The model as the client asked for it, variant suffix included. */
  model: string;
  id?: string;
  created?: number;
  signatures: ThoughtSignatureStore;
}

function toChoice(
  candidate: GeminiCandidate,
  index: number,
  signatures: ThoughtSignatureStore,
): ChatCompletionChoice {
  let content = '';
  let reasoning = '';
  const toolCalls: ToolCall[] = [];
  // Images go in message.images[] as data URLs (LiteLLM's and OpenRouter's field), not the text.
  const parts = candidate.content?.parts ?? [];
  const images = parts.filter(isOutputImage).map(toImageUrl);
  for (const piece of readParts(
    images.length > 0 ? parts.filter((p) => !isOutputImage(p)) : parts,
  )) {
    if (piece.kind === 'text') content += piece.text;
    else if (piece.kind === 'reasoning') reasoning += piece.text;
    else toolCalls.push(issueToolCall(piece, signatures));
  }
  const choice: ChatCompletionChoice = {
    index,
    message: {
      role: 'assistant',
      // OpenAI sends null content beside tool calls; some clients (LangChain) test for it.
      content: content === '' && toolCalls.length > 0 ? null : content,
      refusal: null,
    },
    logprobs: null,
    finish_reason: mapFinishReason(candidate.finishReason, toolCalls.length > 0),
  };
  if (reasoning) choice.message.reasoning_content = reasoning;
  if (toolCalls.length > 0) choice.message.tool_calls = toolCalls;
  if (images.length > 0) choice.message.images = images;
  return choice;
}

const isOutputImage = (part: GeminiPart): boolean =>
  !part.thought && part.inlineData?.mimeType.startsWith('image/') === true;

const toImageUrl = ({ inlineData }: GeminiPart): ChatCompletionImage => ({
  type: 'image_url',
  image_url: { url: `data:${inlineData!.mimeType};base64,${inlineData!.data}` },
});

/** A Gemini generateContent response → an OpenAI `chat.completion`, one choice per candidate. */
export function toChatCompletion(resp: GeminiResponse, ctx: ResponseContext): ChatCompletion {
  const candidates = resp.candidates ?? [];
  const choices = candidates
    .map((c, i) => toChoice(c, typeof c.index === 'number' ? c.index : i, ctx.signatures))
    .sort((a, b) => a.index - b.index);
  if (choices.length === 0) {
    // A blocked prompt comes back with promptFeedback and no candidates at all.
    choices.push({
      index: 0,
      message: { role: 'assistant', content: '', refusal: null },
      logprobs: null,
      finish_reason: resp.promptFeedback?.blockReason ? 'content_filter' : 'stop',
    });
  }
  return {
    id: ctx.id ?? (resp.responseId ? `chatcmpl-${resp.responseId}` : newCompletionId()),
    object: 'chat.completion',
    created: ctx.created ?? Math.floor(Date.now() / 1000),
    model: ctx.model,
    choices,
    usage: toOpenAIUsage(resp.usageMetadata),
  };
}
