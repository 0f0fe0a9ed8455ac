import { conversationKey as describeConversation } from './conversation-key';

const conversationKey = (...args: Parameters<typeof describeConversation>) =>
  describeConversation(...args)?.key;

const gemini = (system: string, first: string, ...rest: string[]) => ({
  systemInstruction: { parts: [{ text: system }] },
  contents: [first, ...rest].map((text, i) => ({
    role: i % 2 ? 'model' : 'user',
    parts: [{ text }],
  })),
});

describe('conversationKey', () => {
  it("uses Claude Code's session id from metadata.user_id, whatever the turn", () => {
    const userId = JSON.stringify({ device_id: 'd', account_uuid: '', session_id: 'sess-1' });
    const a = conversationKey({}, { metadata: { user_id: userId } }, gemini('s', 'first'));
    const b = conversationKey({}, { metadata: { user_id: userId } }, gemini('other', 'x'));
    expect(a).toBe(b);
    expect(a).toMatch(/^s:/);
  });

  it("reads Claude Code's older user_id form", () => {
    const key = (id: string) =>
      conversationKey({}, { metadata: { user_id: `user_abc_account_def_session_${id}` } }, {});
    expect(key('11111111-aaaa')).toBe(key('11111111-aaaa'));
    expect(key('11111111-aaaa')).not.toBe(key('22222222-bbbb'));
  });

  it("uses Codex's session-id header and prompt_cache_key", () => {
    expect(conversationKey({ 'session-id': 'u1' }, {}, {})).toBe(
      conversationKey({ 'session-id': 'u1' }, {}, gemini('a', 'b')),
    );
    expect(conversationKey({}, { prompt_cache_key: 'u1' }, {})).toMatch(/^s:/);
    expect(conversationKey({ 'x-claude-code-session-id': 'c1' }, {}, {})).not.toBe(
      conversationKey({ 'x-claude-code-session-id': 'c2' }, {}, {}),
    );
  });

  it('falls back on the opening, the same on every later turn and different for another conversation', () => {
    const first = conversationKey({}, {}, gemini('sys', 'task one'));
    const later = conversationKey({}, {}, gemini('sys', 'task one', 'answer', 'tool result'));
    expect(first).toBe(later);
    expect(first).toMatch(/^o:/);
    expect(conversationKey({}, {}, gemini('sys', 'task two'))).not.toBe(first);
  });

  it('sends a first turn known only by its opening round-robin, and later turns where it went', () => {
    expect(describeConversation({}, {}, gemini('sys', 'hello'))?.continues).toBe(false);
    expect(describeConversation({}, {}, gemini('sys', 'hello', 'hi', 'more'))?.continues).toBe(
      true,
    );
    expect(
      describeConversation({ 'session-id': 'u1' }, {}, gemini('sys', 'hello'))?.continues,
    ).toBe(true);
  });

  it('has no key for a body without contents', () => {
    expect(conversationKey(undefined, undefined, { contents: [] })).toBeUndefined();
  });

  it('never keeps the session id itself in the key', () => {
    expect(conversationKey({ 'session-id': 'secret-looking-id' }, {}, {})).not.toContain('secret');
  });
});
