import {
  generateReferences,
  referencedResources,
  resourceNameIn,
  ttlUntil,
} from './resource-names';

describe('referencedResources', () => {
  // prettier-ignore
  it.each<[string, unknown, string[]]>([
    ['a file name in fileData', { contents: [{ parts: [{ fileData: { fileUri: 'files/abc-1' } }] }] }, ['files/abc-1']],
    ["Google's file URI", { contents: [{ parts: [{ fileData: { fileUri: 'https://generativelanguage.googleapis.com/v1beta/files/q9' } }] }] }, ['files/q9']],
    ['a cached content', { cachedContent: 'cachedContents/c1', contents: [] }, ['cachedContents/c1']],
    ["a batch's input file", { batch: { inputConfig: { fileName: 'files/jsonl1' } } }, ['files/jsonl1']],
    ['a previous interaction', { previous_interaction_id: 'v1_abc', input: 'hi' }, ['interactions/v1_abc']],
    ["an interaction item's uri", { input: [{ type: 'document', uri: 'files/doc7' }] }, ['files/doc7']],
    ['nothing in text or inline data', { contents: [{ parts: [{ text: 'files/abc' }, { inlineData: { data: 'files/x' } }] }] }, []],
    ['a Cloud Storage URI', { contents: [{ parts: [{ fileData: { fileUri: 'gs://bucket/a.pdf' } }] }] }, []],
    ['one name once', { contents: [{ parts: [{ fileData: { fileUri: 'files/a' } }, { fileData: { fileUri: 'files/a' } }] }] }, ['files/a']],
  ])('finds %s', (_case, body, expected) => {
    expect(referencedResources(body)).toEqual(expected);
  });

  it('stops at a depth no request reaches', () => {
    let deep: unknown = { fileUri: 'files/deep' };
    for (let i = 0; i < 50; i++) deep = { nested: deep };
    expect(referencedResources(deep)).toEqual([]);
  });
});

describe('resourceNameIn', () => {
  it('ignores text too long to be a name', () => {
    expect(resourceNameIn(`${'x'.repeat(5000)}files/abc`)).toBeUndefined();
  });
});

describe('ttlUntil', () => {
  it("keeps a cached content until Google's expireTime", () => {
    expect(ttlUntil('1970-01-01T00:01:40Z', 40_000, 1)).toBe(60_000);
  });

  it('falls back when the time is missing or past', () => {
    expect(ttlUntil(undefined, 0, 7)).toBe(7);
    expect(ttlUntil('1970-01-01T00:00:01Z', 5_000, 7)).toBe(7);
  });
});

describe('generateReferences', () => {
  // prettier-ignore
  it.each<[string, unknown, string[]]>([
    ['files and a cache', { cachedContent: 'cachedContents/c', contents: [{ parts: [{ fileData: { fileUri: 'files/f' } }] }] }, ['cachedContents/c', 'files/f']],
    ["countTokens' wrapped request", { generateContentRequest: { contents: [{ parts: [{ fileData: { fileUri: 'files/g' } }] }] } }, ['files/g']],
    ['nothing in a plain body', { contents: [{ parts: [{ text: 'files/x' }] }] }, []],
    ['nothing in a malformed body', { contents: [null, { parts: [null, 3] }] }, []],
  ])('finds %s', (_case, body, expected) => {
    expect(generateReferences(body)).toEqual(expected);
  });
});
