import { LIVE_MODELS } from './live-models.fixture';
import { catalogue, findModel, GEMINI_MODELS, GeminiModel, withVariants } from './model-catalogue';

const names = (models: GeminiModel[]) => models.map((m) => m.name);

const LIVE = LIVE_MODELS;

describe('GEMINI_MODELS', () => {
  it('holds the current Code Assist models and the embedding model', () => {
    expect(names([...GEMINI_MODELS])).toEqual([
      'models/gemini-2.5-pro',
      'models/gemini-2.5-flash',
      'models/gemini-2.5-flash-lite',
      'models/gemini-3-pro-preview',
      'models/gemini-3-flash-preview',
      'models/gemini-embedding-001',
    ]);
  });

  it.each(GEMINI_MODELS.map((m) => [m.name, m]))(
    'gives %s every field of Google’s shape',
    (_, m) => {
      expect(m).toEqual(
        expect.objectContaining({
          version: expect.any(String),
          displayName: expect.any(String),
          description: expect.any(String),
          inputTokenLimit: expect.any(Number),
          outputTokenLimit: expect.any(Number),
          supportedGenerationMethods: expect.any(Array),
        }),
      );
    },
  );
});

describe('withVariants', () => {
  it('puts -search, -nothinking and -maxthinking after a 2.5 model', () => {
    expect(names(withVariants([LIVE[0]]))).toEqual([
      'models/gemini-2.5-flash',
      'models/gemini-2.5-flash-search',
      'models/gemini-2.5-flash-nothinking',
      'models/gemini-2.5-flash-maxthinking',
    ]);
  });

  it('gives a 3.x model -search and -nothinking but no -maxthinking, which is its default', () => {
    const pro3 = GEMINI_MODELS.find((m) => m.name === 'models/gemini-3-pro-preview')!;
    expect(names(withVariants([pro3]))).toEqual([
      'models/gemini-3-pro-preview',
      'models/gemini-3-pro-preview-search',
      'models/gemini-3-pro-preview-nothinking',
    ]);
  });

  it('adds no variant to image or embedding models', () => {
    const embedding = GEMINI_MODELS.find((m) => m.name === 'models/gemini-embedding-001')!;
    expect(names(withVariants([LIVE[1], embedding]))).toEqual([
      'models/gemini-2.5-flash-image',
      'models/gemini-embedding-001',
    ]);
  });

  it('describes a variant in Google’s shape and names its base', () => {
    const search = withVariants([LIVE[0]])[1];
    expect(search).toMatchObject({
      name: 'models/gemini-2.5-flash-search',
      baseModelId: 'gemini-2.5-flash',
      displayName: 'Gemini 2.5 Flash with Google Search',
      inputTokenLimit: 1048576,
      supportedGenerationMethods: LIVE[0].supportedGenerationMethods,
    });
  });

  it('changes nothing when applied to its own output', () => {
    const once = withVariants(LIVE);
    expect(names(withVariants(once))).toEqual(names(once));
  });

  it('keeps every field of a live entry it does not know', () => {
    const live = { ...LIVE[0], baseModelId: 'gemini-2.5-flash', newField: { a: 1 } };
    expect(withVariants([live])[0]).toBe(live);
  });
});

describe('catalogue', () => {
  it('lists the maintained models with their variants', () => {
    const list = names(catalogue());
    expect(list).toEqual(
      expect.arrayContaining([
        'models/gemini-2.5-pro-maxthinking',
        'models/gemini-2.5-flash-lite-nothinking',
        'models/gemini-3-flash-preview-search',
        'models/gemini-embedding-001',
      ]),
    );
    // 6 models, 5 -search, 5 -nothinking (three 2.5 and two 3.x), 3 -maxthinking (2.5 only).
    expect(list).toHaveLength(19);
  });

  it('returns a fresh list each time so callers cannot change the maintained one', () => {
    const first = catalogue();
    first[0].displayName = 'changed';
    first.pop();
    expect([catalogue().length, catalogue()[0].displayName]).toEqual([19, 'Gemini 2.5 Pro']);
  });
});

describe('findModel', () => {
  it.each(['gemini-2.5-pro-search', 'models/gemini-2.5-pro-search'])('finds %s', (id) => {
    expect(findModel(catalogue(), id)?.name).toBe('models/gemini-2.5-pro-search');
  });

  it('returns undefined for a model it does not list', () => {
    expect(findModel(catalogue(), 'gpt-4o')).toBeUndefined();
  });
});
