import { VertexServiceAccountCredential } from '../../credentials/credential';
import { TokenGrantError } from '../../credentials/service-account-tokens';
import { classifyUpstreamError } from '../error-classifier';
import { TokenEndpointError } from '../upstream-errors';
import { toApiError } from '../upstream-error-mapping';
import { serviceAccountRefusal } from './service-account-refusal';

const CREDENTIAL = {
  kind: 'vertex',
  mode: 'service-account',
  id: 'runner@p.iam.gserviceaccount.com/global',
  clientEmail: 'runner@p.iam.gserviceaccount.com',
  privateKey: 'unused',
  projectId: 'p',
  location: 'global',
} as VertexServiceAccountCredential;

describe('serviceAccountRefusal', () => {
  const refused = new TokenGrantError(400, {
    error: 'invalid_grant',
    error_description: 'Invalid JWT Signature.',
  });

  it('disables the credential with advice about the key and Google’s reason, never a login', () => {
    const error = new TokenEndpointError(serviceAccountRefusal(refused, CREDENTIAL));
    const verdict = classifyUpstreamError(error, Date.now());
    expect(verdict).toMatchObject({ action: 'disable', reason: 'invalid_grant' });
    expect((verdict as { message: string }).message).toMatch(
      /^Google refused the key of service account runner@p\.iam\.gserviceaccount\.com \(Google: Invalid JWT Signature\.\)\. The key was deleted or revoked/,
    );
    const answer = toApiError(error);
    expect(answer.status).toBe(503);
    expect(answer.message).not.toMatch(/log .*in again/);
  });

  it('cuts a long reason from the token endpoint', () => {
    const long = new TokenGrantError(400, {
      error: 'invalid_grant',
      error_description: 'x'.repeat(1e6),
    });
    const message = serviceAccountRefusal(long, CREDENTIAL)!.verdict;
    expect((message as { message: string }).message.length).toBeLessThan(1_000);
  });

  it.each([
    ['another grant error', new TokenGrantError(400, { error: 'invalid_request' })],
    ['a gateway page', new TokenGrantError(502, '<html>bad gateway</html>')],
    ['a network failure', new TypeError('fetch failed')],
  ])('leaves %s to the classifier', (_what, error) => {
    expect(serviceAccountRefusal(error, CREDENTIAL)).toBeUndefined();
  });
});
