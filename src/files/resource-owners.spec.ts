import { ApiError } from '../errors/api-error';
import { InMemoryResourceOwnerStore } from './resource-owner-store';
import { ResourceOwners } from './resource-owners';

function owners(): ResourceOwners {
  return new ResourceOwners(new InMemoryResourceOwnerStore({ maxEntries: 10, now: Date.now }));
}

const withFile = (uri: string, cache?: string) => ({
  contents: [{ role: 'user', parts: [{ fileData: { fileUri: uri } }] }],
  ...(cache ? { cachedContent: cache } : {}),
});

describe('ResourceOwners.pinFor', () => {
  it('pins a request to the owner of the file it names', async () => {
    const o = owners();
    await o.record('files/a', 'key-1', 60_000);
    expect(await o.pinFor(withFile('files/a'))).toEqual({ resource: 'files/a', owner: 'key-1' });
  });

  it('leaves a request naming only unknown resources to the pool', async () => {
    expect(await owners().pinFor(withFile('files/elsewhere'))).toBeUndefined();
  });

  it('pins a file and a cache of the same owner together', async () => {
    const o = owners();
    await o.record('files/a', 'key-1', 60_000);
    await o.record('cachedContents/c', 'key-1', 60_000);
    expect((await o.pinFor(withFile('files/a', 'cachedContents/c')))?.owner).toBe('key-1');
  });

  it('refuses resources of two owners with a 400 naming them', async () => {
    const o = owners();
    await o.record('files/a', 'key-1', 60_000);
    await o.record('cachedContents/c', 'key-2', 60_000);
    const error = await o.pinFor(withFile('files/a', 'cachedContents/c')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).status).toBe(400);
    expect((error as ApiError).message).toMatch(/cachedContents\/c, files\/a/);
  });
});
