import { Credential, OAuthCredential } from './credential';
import { uniqueIds } from './credential-parser';
import { LoadedCredential } from './sources/credential-source';

/** What a load changes in the pool. */
export interface Reconciliation {
  /** The pool's new membership. */
  next: Credential[];
  added: string[];
  removed: string[];
  /**
   * Credentials whose source now holds another secret (a new login, a new key): enabled again and
   * their tokens forgotten, a fresh start.
   */
  freshStarts: { id: string; sourceFile?: string }[];
}

/**
 * Diffs a fresh read of every source against the pool. An OAuth file whose grant is unchanged
 * (only another replica's write-back of a token or a project) keeps its pool entry, and with it
 * the shared state of that id (DESIGN §10); only a longer-lived token or a project is taken.
 */
export class CredentialReconciler {
  /** Per file, the grant digest seen at the last load. */
  private readonly grants = new Map<string, string>();

  reconcile(previous: readonly Credential[], loaded: readonly LoadedCredential[]): Reconciliation {
    const bySource = new Map<string, OAuthCredential>();
    const byId = new Map<string, Credential>();
    for (const c of previous) {
      byId.set(c.id, c);
      if (c.kind === 'oauth' && c.sourceFile) bySource.set(c.sourceFile, c);
    }
    const freshStarts: Reconciliation['freshStarts'] = [];
    const out: Credential[] = [];
    for (const { credential, grant, ownWrite } of loaded) {
      if (credential.kind === 'oauth' && credential.sourceFile && grant !== undefined) {
        const file = credential.sourceFile;
        const existing = bySource.get(file);
        if (existing && ownWrite) {
          out.push(existing);
          continue;
        }
        const onlyWrittenBack = this.grants.get(file) === grant;
        this.grants.set(file, grant);
        if (existing && onlyWrittenBack) {
          out.push(mergeWriteBack(existing, credential));
        } else if (existing) {
          out.push({ ...credential, id: existing.id });
          freshStarts.push({ id: existing.id, sourceFile: file });
        } else {
          out.push(credential);
        }
        continue;
      }
      const before = byId.get(credential.id);
      if (
        credential.kind === 'vertex' &&
        credential.mode === 'service-account' &&
        before?.kind === 'vertex' &&
        before.mode === 'service-account' &&
        before.privateKey !== credential.privateKey
      ) {
        // A new key for the account (the old one deleted or disabled).
        freshStarts.push({ id: before.id, sourceFile: credential.sourceFile });
      }
      out.push(credential);
    }
    const next = uniqueIds(out);
    const after = new Set(next.map((c) => c.id));
    return {
      next,
      added: [...after].filter((id) => !byId.has(id)),
      removed: [...byId.keys()].filter((id) => !after.has(id)),
      freshStarts,
    };
  }
}

/** Keeps the credential's identity; takes the file's token only when it lasts longer. */
export function mergeWriteBack(existing: OAuthCredential, read: OAuthCredential): OAuthCredential {
  const newer =
    read.accessToken !== undefined && (read.expiryDate ?? 0) > (existing.expiryDate ?? 0);
  return {
    ...existing,
    projectId: existing.projectId ?? read.projectId,
    ...(newer ? { accessToken: read.accessToken, expiryDate: read.expiryDate } : {}),
  };
}
