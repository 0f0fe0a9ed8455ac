import { ApiError } from '../../errors/api-error';
import type { FetchedMedia } from './content-parts';
import type { MediaFetcher } from './media-fetcher';
import { RequestRules } from './request-rules';

class CountingFetcher implements MediaFetcher {
  readonly urls: string[] = [];
  fetchMedia(url: string): Promise<FetchedMedia> {
    this.urls.push(url);
    return Promise.resolve({ mimeType: 'image/png', data: `data-of-${url}` });
  }
}

const LIMITS = { maxUrls: 2, maxTotalBytes: 1_000_000, concurrency: 2 };

/** `levels` definitions, each referring twice to the next: 2^levels leaves once inlined. */
function chain(levels: number): Record<string, unknown> {
  const $defs: Record<string, unknown> = {};
  for (let i = 0; i < levels; i++) {
    const next = { $ref: `#/$defs/d${i + 1}` };
    $defs[`d${i}`] = { type: 'object', properties: { a: next, b: next } };
  }
  $defs[`d${levels}`] = { type: 'string' };
  return { type: 'object', $defs, properties: { root: { $ref: '#/$defs/d0' } } };
}

describe('RequestRules', () => {
  it('fetches and counts a URL named twice in one request once', async () => {
    const fetcher = new CountingFetcher();
    const rules = new RequestRules({ fetcher, limits: LIMITS });
    const urls = ['https://a/1.png', 'https://a/1.png', 'https://a/2.png'];
    await Promise.all(urls.map(rules.fetchMedia));
    expect(fetcher.urls).toEqual(['https://a/1.png', 'https://a/2.png']);
  });

  it('sends the media of stored turns from their turns, and fetches only what no turn holds', async () => {
    const fetcher = new CountingFetcher();
    const first = new RequestRules({ fetcher, limits: LIMITS });
    await first.fetchMedia('https://a/1.png');
    const kept = first.fetchedMedia();
    expect(kept).toEqual({
      'https://a/1.png': { mimeType: 'image/png', data: 'data-of-https://a/1.png' },
    });

    const later = new RequestRules({
      fetcher,
      limits: LIMITS,
      storedMedia: new Map(Object.entries(kept)),
    });
    expect(await later.fetchStoredMedia('https://a/1.png')).toEqual(kept['https://a/1.png']);
    expect(fetcher.urls).toHaveLength(1);
    // A stored URL no turn holds (a turn stored before media were kept) is fetched again.
    await later.fetchStoredMedia('https://a/2.png');
    // A URL of the new input is always fetched: only stored turns were fetched before.
    await later.fetchMedia('https://a/1.png');
    expect(fetcher.urls).toEqual(['https://a/1.png', 'https://a/2.png', 'https://a/1.png']);
  });

  it('charges every tool schema of the request to one budget', () => {
    const rules = new RequestRules({ fetcher: new CountingFetcher(), limits: LIMITS });
    // One chain of 11 levels is ~12,000 nodes: four fit in 50,000, the fifth does not.
    for (let k = 0; k < 4; k++) rules.toolSchema(chain(11), `tools[${k}].parameters`);
    expect(() => rules.toolSchema(chain(11), 'tools[4].parameters')).toThrow(
      ApiError.badRequest(
        "tools[4].parameters: the tool schemas expand to more than 50000 nodes once every $ref is inlined (the proxy's limit per request); use fewer or shallower $ref chains.",
        'tools[4].parameters',
      ),
    );
    const fresh = new RequestRules({ fetcher: new CountingFetcher(), limits: LIMITS });
    expect(fresh.toolSchema(chain(11), 'tools[0].parameters')).toBeDefined();
  });

  it('makes a malformed $ref a 400 naming the field', () => {
    const rules = new RequestRules({ fetcher: new CountingFetcher(), limits: LIMITS });
    const schema = { type: 'object', properties: { a: { $ref: '#/%E0' } } };
    let error: unknown;
    try {
      rules.toolSchema(schema, 'tools.0.input_schema');
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 400, param: 'tools.0.input_schema' });
  });
});
