import { ApiError } from '../errors/api-error';
import { ResourceAffinity, ResourcePin } from '../upstream/resource-pin';
import { ResourceOwnerStore, ResourceRecord } from './resource-owner-store';
import { generateReferences, referencedResources } from './resource-names';

/** Who owns which resource, and which credential a request naming resources must go to. */
export class ResourceOwners implements ResourceAffinity {
  constructor(private readonly store: ResourceOwnerStore) {}

  get(name: string): Promise<ResourceRecord | undefined> {
    return this.store.get(name);
  }

  record(name: string, owner: string, ttlMs: number, uploadUrl?: string): Promise<void> {
    return this.store.put(name, uploadUrl ? { owner, uploadUrl } : { owner }, ttlMs);
  }

  forget(name: string): Promise<void> {
    return this.store.delete(name);
  }

  /** The owner of the files and cached content a generate, stream or count body names. */
  pinFor(body: unknown): Promise<ResourcePin | undefined> {
    return this.pinOf(generateReferences(body));
  }

  /** The owner of what any resource body names (a cache's files, a batch's input, an interaction). */
  pinForAny(body: unknown): Promise<ResourcePin | undefined> {
    return this.pinOf(referencedResources(body));
  }

  /**
   * The owner of every known resource named. Names the proxy never saw pass unpinned (a file
   * uploaded elsewhere is Google's to judge); two owners cannot both serve one request.
   */
  private async pinOf(names: string[]): Promise<ResourcePin | undefined> {
    if (names.length === 0) return undefined;
    const pins: ResourcePin[] = [];
    for (const resource of names) {
      const record = await this.store.get(resource);
      if (record) pins.push({ resource, owner: record.owner });
    }
    const owners = new Set(pins.map((p) => p.owner));
    if (owners.size > 1) {
      throw ApiError.badRequest(
        `${pins.map((p) => p.resource).join(', ')} were created with different credentials of the pool, ` +
          'so no single Google project can see them all; create them with one request chain.',
      );
    }
    return pins[0];
  }
}
