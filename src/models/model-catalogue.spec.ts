import { LIVE_MODELS } from './live-models.fixture';
import {
  catalogue,
  findModel,
  GEMINI_MODELS,
  GeminiModel,
  GOOGLE_ROUTES,
  SHUT_DOWN_MODELS,
  withVariants,
} from './model-catalogue';
import { thinkingConfigFor } from './model-names';

const names = (models: GeminiModel[]) => models.map((m) => m.name);

const LIVE = LIVE_MODELS;

describe('GEMINI_MODELS', () => {
  it('holds the current models first, then the embedding model and the IDs Google re-routes', () => {
    expect(names([...GEMINI_MODELS])).toEqual([
      'models/gemini-3.8-flash',
      'models/gemini-3.6-flash',
      'models/gemini-3.5-flash-lite',
      'models/gemini-3.1-flash-lite',
      'models/gemini-3.1-pro-preview',
      'models/gemini-2.5-flash-lite',
      'models/gemini-embedding-001',
      'models/gemini-3.7-flash',
      'models/gemini-3.5-flash',
      'models/gemini-2.5-pro',
      'models/gemini-2.5-flash',
    ]);
  });

  it('lists no model Google has shut down', () => {
    const listed = GEMINI_MODELS.map((m) => m.name.replace(/^models\//, ''));
    expect(listed.filter((id) => SHUT_DOWN_MODELS.has(id))).toEqual([]);
  });

  it('marks each re-routed ID with the model Google serves instead, itself listed as current', () => {
    for (const [id, route] of GOOGLE_ROUTES) {
      const entry = GEMINI_MODELS.find((m) => m.name === `models/${id}`);
      expect(entry).toMatchObject({ routedTo: route.servedAs });
      expect(entry?.description).toContain(`routes this ID to ${route.servedAs}`);
      const target = GEMINI_MODELS.find((m) => m.name === `models/${route.servedAs}`);
      expect(target?.routedTo).toBeUndefined();
    }
  });

  it('sends Gemini 3.x models a thinking level and 2.5 models a budget, never both', () => {
    const configs = GEMINI_MODELS.filter((m) => m.thinking).map((m) => {
      const id = m.name.replace(/^models\//, '');
      return [id, thinkingConfigFor(id, { effort: 'low' })] as const;
    });
    for (const [id, config] of configs) {
      if (id.startsWith('gemini-3')) {
        expect([id, config]).toEqual([id, { thinkingLevel: 'low', includeThoughts: true }]);
      } else {
        expect([id, config]).toEqual([
          id,
          { thinkingBudget: expect.any(Number), includeThoughts: true },
        ]);
      }
    }
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
    expect(names(withVariants([LIVE[1]]))).toEqual([
      'models/gemini-2.5-flash-lite',
      'models/gemini-2.5-flash-lite-search',
      'models/gemini-2.5-flash-lite-nothinking',
      'models/gemini-2.5-flash-lite-maxthinking',
    ]);
  });

  it('gives a 3.x model -search and -nothinking but no -maxthinking, which is its default', () => {
    const pro3 = GEMINI_MODELS.find((m) => m.name === 'models/gemini-3.1-pro-preview')!;
    expect(names(withVariants([LIVE[0], pro3]))).toEqual([
      'models/gemini-3.8-flash',
      'models/gemini-3.8-flash-search',
      'models/gemini-3.8-flash-nothinking',
      'models/gemini-3.1-pro-preview',
      'models/gemini-3.1-pro-preview-search',
      'models/gemini-3.1-pro-preview-nothinking',
    ]);
  });

  it('adds no variant to image or embedding models', () => {
    const embedding = GEMINI_MODELS.find((m) => m.name === 'models/gemini-embedding-001')!;
    expect(names(withVariants([LIVE[2], embedding]))).toEqual([
      'models/gemini-3.1-flash-image',
      'models/gemini-embedding-001',
    ]);
  });

  it('drops a shut-down model a live list still carries', () => {
    const stale = { ...LIVE[1], name: 'models/gemini-2.0-flash', displayName: 'Gemini 2.0 Flash' };
    expect(names(withVariants([stale, LIVE[2]]))).toEqual(['models/gemini-3.1-flash-image']);
  });

  it('describes a variant in Google’s shape and names its base', () => {
    const search = withVariants([LIVE[0]])[1];
    expect(search).toMatchObject({
      name: 'models/gemini-3.8-flash-search',
      baseModelId: 'gemini-3.8-flash',
      displayName: 'Gemini 3.8 Flash with Google Search',
      inputTokenLimit: 1048576,
      supportedGenerationMethods: LIVE[0].supportedGenerationMethods,
    });
  });

  it('changes nothing when applied to its own output', () => {
    const once = withVariants(LIVE);
    expect(names(withVariants(once))).toEqual(names(once));
  });

  it('keeps every field of a live entry it does not know', () => {
    const live = { ...LIVE[0], baseModelId: 'gemini-3.8-flash', newField: { a: 1 } };
    expect(withVariants([live])[0]).toBe(live);
  });
});

describe('catalogue', () => {
  it('lists the maintained models with their variants', () => {
    const list = names(catalogue());
    expect(list).toEqual(
      expect.arrayContaining([
        'models/gemini-3.8-flash-search',
        'models/gemini-3.5-flash-lite-nothinking',
        'models/gemini-2.5-flash-lite-maxthinking',
        'models/gemini-2.5-pro-maxthinking',
        'models/gemini-embedding-001',
      ]),
    );
    expect(list).not.toContain('models/gemini-3.8-flash-maxthinking');
    // 11 models; 10 chat models with -search and -nothinking each; 3 -maxthinking (the 2.5 ones).
    expect(list).toHaveLength(34);
  });

  it('returns a fresh list each time so callers cannot change the maintained one', () => {
    const first = catalogue();
    first[0].displayName = 'changed';
    first.pop();
    expect([catalogue().length, catalogue()[0].displayName]).toEqual([34, 'Gemini 3.8 Flash']);
  });
});

describe('findModel', () => {
  it.each(['gemini-3.8-flash-search', 'models/gemini-3.8-flash-search'])('finds %s', (id) => {
    expect(findModel(catalogue(), id)?.name).toBe('models/gemini-3.8-flash-search');
  });

  it('returns undefined for a model it does not list', () => {
    expect(findModel(catalogue(), 'gpt-4o')).toBeUndefined();
  });
});
