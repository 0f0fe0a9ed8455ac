import { interactionIdIn } from './interaction-stream';

describe('interactionIdIn', () => {
  it.each<[string, string, string | undefined]>([
    [
      'the created event',
      'event: interaction.created\ndata: {"event_type":"interaction.created","interaction":{"id":"v1_a"}}\n\n',
      'v1_a',
    ],
    [
      'an event naming interaction_id',
      'data: {"event_type":"step.start","interaction_id":"v1_b"}\n',
      'v1_b',
    ],
    [
      'a line still arriving',
      'data: {"event_type":"interaction.created","interaction":{"id":"v1_c"}}',
      undefined,
    ],
    ['nothing but [DONE]', 'data: [DONE]\n\n', undefined],
  ])('reads %s', (_case, text, expected) => {
    expect(interactionIdIn(text)).toBe(expected);
  });
});
