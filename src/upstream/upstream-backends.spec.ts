import { apiKeyCredential } from '../credentials/credential-parser';
import type { OAuthCredential } from '../credentials/credential';
import { UpstreamBackend } from './upstream-backend';
import { UpstreamBackends } from './upstream-backends';

const backend = (kind: 'oauth' | 'api-key') => ({ kind, api: kind }) as unknown as UpstreamBackend;

const oauth: OAuthCredential = {
  kind: 'oauth',
  id: 'a@x',
  clientId: 'c',
  clientSecret: 's',
  refreshToken: 'r',
};

describe('UpstreamBackends', () => {
  it('finds the backend that serves a credential by its kind', () => {
    const codeAssist = backend('oauth');
    const geminiApi = backend('api-key');
    const backends = new UpstreamBackends([codeAssist, geminiApi]);
    expect(backends.for(oauth)).toBe(codeAssist);
    expect(backends.for(apiKeyCredential('AIzaRegistryKey12345'))).toBe(geminiApi);
  });

  it('refuses two backends for one kind of credential', () => {
    expect(() => new UpstreamBackends([backend('oauth'), backend('oauth')])).toThrow(/Two/);
  });

  it('names the kind no registered backend serves', () => {
    expect(() => new UpstreamBackends([backend('api-key')]).for(oauth)).toThrow(/oauth/);
  });
});
