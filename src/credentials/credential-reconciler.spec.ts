import { Credential, OAuthCredential, VertexServiceAccountCredential } from './credential';
import { CredentialReconciler, Reconciliation } from './credential-reconciler';
import { LoadedCredential } from './sources/credential-source';

const FILE = '/creds/oauth_creds_ada.json';

/** Ada's OAuth account as the folder reads it; `grant` names the digest of her file's grant. */
function adaFromFile(
  grant: string,
  fields: Partial<OAuthCredential> = {},
): LoadedCredential & { credential: OAuthCredential } {
  return {
    credential: {
      kind: 'oauth',
      id: 'ada@example.com/proj-ada',
      clientId: 'client-id',
      clientSecret: 'client-secret',
      refreshToken: '1//rt-ada',
      email: 'ada@example.com',
      projectId: 'proj-ada',
      sourceFile: FILE,
      ...fields,
    },
    grant,
  };
}

function serviceAccountKey(privateKey: string): LoadedCredential {
  const credential: VertexServiceAccountCredential = {
    kind: 'vertex',
    mode: 'service-account',
    id: 'sa@proj.iam.gserviceaccount.com/global',
    clientEmail: 'sa@proj.iam.gserviceaccount.com',
    privateKey,
    projectId: 'proj',
    location: 'global',
    sourceFile: '/creds/sa.json',
  };
  return { credential };
}

function apiKey(suffix: string): LoadedCredential {
  return { credential: { kind: 'api-key', id: `key...${suffix}`, apiKey: `AIza-${suffix}` } };
}

/** Loads `first`, then reconciles `second` against the pool the first load left. */
function reloadOf(first: LoadedCredential[], second: LoadedCredential[]): Reconciliation {
  const reconciler = new CredentialReconciler();
  const { next } = reconciler.reconcile([], first);
  return reconciler.reconcile(next, second);
}

describe('CredentialReconciler', () => {
  it('adds everything on the first load and starts nothing afresh', () => {
    const result = new CredentialReconciler().reconcile([], [adaFromFile('g1'), apiKey('11111')]);
    expect(result).toEqual({
      next: [adaFromFile('g1').credential, apiKey('11111').credential],
      added: ['ada@example.com/proj-ada', 'key...11111'],
      removed: [],
      freshStarts: [],
    });
  });

  it.each<[string, LoadedCredential[], Partial<Reconciliation>]>([
    [
      'nothing changed',
      [adaFromFile('g1'), apiKey('11111')],
      { added: [], removed: [], freshStarts: [] },
    ],
    ['a key was removed', [adaFromFile('g1')], { added: [], removed: ['key...11111'] }],
    [
      'a key was added',
      [adaFromFile('g1'), apiKey('11111'), apiKey('22222')],
      { added: ['key...22222'], removed: [] },
    ],
    [
      'the user replaced the grant',
      [adaFromFile('g2', { refreshToken: '1//rt-new-login' }), apiKey('11111')],
      {
        added: [],
        removed: [],
        freshStarts: [{ id: 'ada@example.com/proj-ada', sourceFile: FILE }],
      },
    ],
    [
      'another replica wrote back a token',
      [adaFromFile('g1', { accessToken: 'ya29.b', expiryDate: 2_000 }), apiKey('11111')],
      { added: [], removed: [], freshStarts: [] },
    ],
  ])('on a reload where %s', (_, second, expected) => {
    expect(reloadOf([adaFromFile('g1'), apiKey('11111')], second)).toMatchObject(expected);
  });

  it('keeps the pool’s identity of a written-back file and takes only a longer-lived token', () => {
    const reconciler = new CredentialReconciler();
    const pooled: OAuthCredential = {
      ...adaFromFile('g1').credential,
      id: 'ada@example.com',
      projectId: undefined,
      accessToken: 'ya29.mine',
      expiryDate: 5_000,
    };
    reconciler.reconcile([], [adaFromFile('g1')]);
    const older = reconciler.reconcile(
      [pooled],
      [adaFromFile('g1', { accessToken: 'ya29.older', expiryDate: 1_000 })],
    );
    expect(older.next).toEqual([{ ...pooled, projectId: 'proj-ada' }]);
    const newer = reconciler.reconcile(
      [pooled],
      [adaFromFile('g1', { accessToken: 'ya29.newer', expiryDate: 9_000 })],
    );
    expect(newer.next).toMatchObject([
      { id: 'ada@example.com', accessToken: 'ya29.newer', expiryDate: 9_000 },
    ]);
  });

  it('keeps the pool’s entry as it is when the file holds this process’s own last write', () => {
    const reconciler = new CredentialReconciler();
    reconciler.reconcile([], [adaFromFile('g1')]);
    const pooled: OAuthCredential = {
      ...adaFromFile('g1').credential,
      accessToken: 'ya29.mine',
      expiryDate: 5_000,
      projectId: 'proj-discovered',
    };
    const { next, freshStarts } = reconciler.reconcile(
      [pooled],
      [{ ...adaFromFile('g1', { accessToken: 'ya29.older', expiryDate: 9_000 }), ownWrite: true }],
    );
    expect(next).toEqual([pooled]);
    expect(freshStarts).toEqual([]);
  });

  it('gives a replaced file the id its credential had in the pool', () => {
    const reconciler = new CredentialReconciler();
    reconciler.reconcile([], [adaFromFile('g1')]);
    const pooled: Credential = { ...adaFromFile('g1').credential, id: 'ada@example.com' };
    const { next, freshStarts } = reconciler.reconcile(
      [pooled],
      [adaFromFile('g2', { refreshToken: '1//rt-new' })],
    );
    expect(next).toMatchObject([{ id: 'ada@example.com', refreshToken: '1//rt-new' }]);
    expect(freshStarts).toEqual([{ id: 'ada@example.com', sourceFile: FILE }]);
  });

  it.each([
    [
      'a new private key',
      'key-2',
      [{ id: 'sa@proj.iam.gserviceaccount.com/global', sourceFile: '/creds/sa.json' }],
    ],
    ['the same private key', 'key-1', []],
  ])('on a service account reloaded with %s, starts afresh: %j', (_, privateKey, freshStarts) => {
    expect(
      reloadOf([serviceAccountKey('key-1')], [serviceAccountKey(privateKey)]).freshStarts,
    ).toEqual(freshStarts);
  });

  it('suffixes colliding ids', () => {
    const { next } = new CredentialReconciler().reconcile([], [apiKey('11111'), apiKey('11111')]);
    expect(next.map((c) => c.id)).toEqual(['key...11111', 'key...11111#2']);
  });
});
