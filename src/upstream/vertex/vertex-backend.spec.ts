import { generateKeyPairSync } from 'node:crypto';
import { apiKeyCredential } from '../../credentials/credential-parser';
import { CredentialsService } from '../../credentials/credentials.service';
import { parseServiceAccount, vertexExpressCredential } from '../../credentials/service-account';
import { ModelAction } from '../upstream-backend';
import { VertexBackend } from './vertex-backend';
import { VertexClient } from './vertex-client';

const account = parseServiceAccount(
  {
    type: 'service_account',
    project_id: 'p',
    client_email: 'sa@p.iam.gserviceaccount.com',
    private_key: generateKeyPairSync('rsa', { modulusLength: 2048 })
      .privateKey.export({ type: 'pkcs8', format: 'pem' })
      .toString(),
  },
  'us-central1',
);
if (!account.ok) throw new Error(account.problem);
const serviceAccount = account.credential;
const express = vertexExpressCredential('AQ.Ab8ExpressKey0000012345');

const tokens = {
  serviceAccountToken: (_c: unknown, fresh = false) =>
    Promise.resolve(fresh ? 'fresh-token' : 'cached-token'),
} as unknown as CredentialsService;
const backend = new VertexBackend({} as VertexClient, tokens);
const signal = new AbortController().signal;

describe('VertexBackend', () => {
  it.each<[ModelAction, boolean, boolean]>([
    ['generateContent', true, true],
    ['streamGenerateContent', true, true],
    ['countTokens', true, true],
    ['embedContent', true, false],
    ['batchEmbedContents', true, false],
  ])('serves %s: service account %s, express key %s', (action, bySa, byExpress) => {
    expect(backend.supports(action, serviceAccount)).toBe(bySa);
    expect(backend.supports(action, express)).toBe(byExpress);
  });

  it('opens a service account with its token, project and location, and a fresh token on refresh', async () => {
    const session = await backend.open(serviceAccount, signal);
    expect(session.auth).toEqual({
      mode: 'service-account',
      accessToken: 'cached-token',
      projectId: 'p',
      location: 'us-central1',
    });
    expect(await session.refresh?.()).toMatchObject({ accessToken: 'fresh-token' });
  });

  it('opens an express key with nothing to refresh', async () => {
    const session = await backend.open(express, signal);
    expect(session.auth).toEqual({ mode: 'express', apiKey: express.apiKey });
    expect(session.refresh).toBeUndefined();
  });

  it('refuses a credential of another kind', async () => {
    await expect(backend.open(apiKeyCredential('AIzaOtherKind12345'), signal)).rejects.toThrow(
      /Vertex credentials only/,
    );
  });
});
