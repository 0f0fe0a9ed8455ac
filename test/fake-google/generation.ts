import type { FakeResources } from './fake-resources';
import type { Exchange } from './exchange';
import { defaultResponse, defaultStream, mergeEvents, scriptedEvents } from './model-replies';
import type { Script } from './script';
import {
  isRecord,
  type CallContext,
  type GeminiResponse,
  type GenerateContentRequest,
  type ResolvedOptions,
} from './types';

/** Longer than any test; the sleep ends early when the client leaves. */
const STALL_MS = 60 * 60_000;

/** How one streamed answer is laid out on the wire. */
export interface StreamFraming {
  contentType: string;
  frame(payload: unknown, index: number): string;
  close(count: number): string;
}

export const SSE_FRAMING: StreamFraming = {
  contentType: 'text/event-stream',
  frame: (payload) => `data: ${JSON.stringify(payload)}\n\n`,
  close: () => '',
};

/** Without `alt=sse` Google streams one pretty-printed JSON array, element by element. */
export const JSON_ARRAY_FRAMING: StreamFraming = {
  contentType: 'application/json; charset=UTF-8',
  frame: (payload, index) => `${index === 0 ? '[' : '\r\n,'}${JSON.stringify(payload, null, 2)}`,
  close: (count) => (count === 0 ? '[]' : '\r\n]'),
};

export function framingFor(query: Record<string, string>): StreamFraming {
  return query.alt === 'sse' ? SSE_FRAMING : JSON_ARRAY_FRAMING;
}

export interface GenerateCall {
  call: CallContext;
  model: string;
  request: GenerateContentRequest;
  stream: boolean;
  framing: StreamFraming;
  /** Code Assist's `{response, traceId}` envelope, or the bare response for the Gemini API. */
  wrap(response: GeminiResponse): unknown;
}

export interface GenerationDeps {
  script: Script;
  options: ResolvedOptions;
  /** Project resources a generate call may name (files, cached contents). */
  resources?: FakeResources;
}

/** Answers a generate or stream call: a scripted answer if one matches, else the default model. */
export async function answerGenerate(
  ex: Exchange,
  deps: GenerationDeps,
  generate: GenerateCall,
): Promise<void> {
  const scripted = deps.script.takeAnswer(generate.call);
  const servedAs = deps.script.servedAs(generate.model);
  if (!(await ex.sleep(deps.options.latencyMs))) return;
  if (!generate.stream) {
    const response = scripted
      ? mergeEvents(scriptedEvents(scripted))
      : defaultResponse(generate.model, generate.request, servedAs);
    ex.json(200, generate.wrap(response));
    return;
  }
  const pace = ex.streamPace;
  const events = scripted
    ? scriptedEvents(scripted)
    : defaultStream(
        generate.model,
        generate.request,
        pace?.events ?? deps.options.streamEvents,
        servedAs,
      );
  await writeStream(
    ex,
    events.map((event) => generate.wrap(event)),
    generate.framing,
    pace?.intervalMs ?? deps.options.streamIntervalMs,
  );
}

async function writeStream(
  ex: Exchange,
  payloads: unknown[],
  framing: StreamFraming,
  intervalMs: number,
): Promise<void> {
  const cutAfter = ex.cutAfterEvents;
  const stallAfter = ex.stallAfterEvents;
  ex.startStream(framing.contentType);
  if (cutAfter === 0) {
    ex.cut();
    return;
  }
  for (let i = 0; i < payloads.length; i += 1) {
    if (i > 0 && !(await ex.sleep(intervalMs))) return;
    ex.write(framing.frame(payloads[i], i));
    if (cutAfter === i + 1) {
      ex.cut();
      return;
    }
    if (stallAfter === i + 1) {
      // Silent but open: only the client leaving (or the fake closing) ends this answer.
      await ex.sleep(STALL_MS);
      return;
    }
  }
  ex.end(framing.close(payloads.length));
}

/** The native request as Code Assist's `request` or the Gemini API's body, or why it is invalid. */
export function parseGenerateRequest(value: unknown): GenerateContentRequest | string {
  if (!isRecord(value)) return 'Invalid JSON payload received. Expected a GenerateContentRequest.';
  const contents = value.contents;
  if (!Array.isArray(contents) || contents.length === 0) {
    return '* GenerateContentRequest.contents: contents is not specified\n';
  }
  if (!contents.every(isRecord)) {
    return 'Invalid JSON payload received. Unknown name "contents": every content must be an object.';
  }
  return value as GenerateContentRequest;
}
