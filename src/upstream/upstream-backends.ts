import { Credential } from '../credentials/credential';
import { UpstreamBackend } from './upstream-backend';

/** The registered backends, found by the kind of credential each serves. */
export class UpstreamBackends {
  private readonly byKind = new Map<string, UpstreamBackend>();

  constructor(readonly all: readonly UpstreamBackend[]) {
    for (const backend of all) {
      if (this.byKind.has(backend.kind)) {
        throw new Error(`Two upstream backends serve ${backend.kind} credentials`);
      }
      this.byKind.set(backend.kind, backend);
    }
  }

  for(credential: Credential): UpstreamBackend {
    const backend = this.byKind.get(credential.kind);
    if (!backend) throw new Error(`No upstream backend serves ${credential.kind} credentials`);
    return backend;
  }
}
