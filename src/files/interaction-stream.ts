import type { CallTimer } from '../upstream/call-timer';

/** The id is in the first event; Google's `interaction.created` is far smaller than this. */
const HEAD_BYTES = 65_536;

/**
 * Google's SSE bytes of a streamed interaction, passed on unchanged. The interaction's id is read
 * from the first events, for `onId` to record its owner. The call's time limit bounds Google's
 * silences, not the stream's length (a deep-research run streams for many minutes), as for
 * generate streams.
 */
export async function* relayInteractionEvents(
  body: AsyncIterable<Uint8Array>,
  timer: CallTimer,
  onId: (id: string) => Promise<void>,
): AsyncGenerator<Uint8Array> {
  let head = '';
  let found = false;
  try {
    for await (const chunk of body) {
      if (!found && head.length < HEAD_BYTES) {
        head += Buffer.from(chunk).toString('utf8');
        const id = interactionIdIn(head);
        if (id) {
          found = true;
          await onId(id);
        }
      }
      timer.hold();
      yield chunk;
      timer.resume();
    }
  } finally {
    timer.stop();
  }
}

/** The interaction id in the complete SSE lines of `text`, if one has arrived. */
export function interactionIdIn(text: string): string | undefined {
  const complete = text.slice(0, text.lastIndexOf('\n') + 1);
  for (const line of complete.split('\n')) {
    if (!line.startsWith('data:')) continue;
    try {
      const event = JSON.parse(line.slice(5).trim()) as Record<string, unknown>;
      const interaction = event.interaction as Record<string, unknown> | undefined;
      const id = interaction?.id ?? event.interaction_id;
      if (typeof id === 'string' && id) return id;
    } catch {
      // Not a JSON event (`[DONE]`): read on.
    }
  }
  return undefined;
}
