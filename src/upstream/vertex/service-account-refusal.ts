import { shownField, VertexServiceAccountCredential } from '../../credentials/credential';
import { TokenGrantError } from '../../credentials/service-account-tokens';
import { ApiError } from '../../errors/api-error';
import { CredentialSetupError } from '../upstream-errors';

/**
 * `invalid_grant` on a service account's JWT bearer grant. For an OAuth account it means "log in
 * again"; a key file has no login: Google refuses the key itself (deleted or rotated, the account
 * disabled or deleted, a file that is not this account's key, or a clock far off the assertion's
 * `iat`). The credential is disabled with that advice and Google's own reason, and the client is
 * told the same.
 */
export function serviceAccountRefusal(
  error: unknown,
  credential: VertexServiceAccountCredential,
): CredentialSetupError | undefined {
  if (!(error instanceof TokenGrantError)) return undefined;
  const data = error.response.data as { error?: unknown; error_description?: unknown } | null;
  if (data?.error !== 'invalid_grant') return undefined;
  const google =
    typeof data.error_description === 'string' && data.error_description.trim()
      ? ` (Google: ${shownField(data.error_description.trim(), 200)})`
      : '';
  const message =
    `Google refused the key of service account ${credential.clientEmail}${google}. The key was ` +
    'deleted or revoked, the account was disabled or deleted, or the file is not this ' +
    'account’s key (a system clock far off also fails): create a new key for the account in the ' +
    'Cloud console (IAM & Admin → Service accounts → Keys) and replace the file.';
  return new CredentialSetupError(
    {
      action: 'disable',
      reason: 'invalid_grant',
      message,
      fixUrl: `https://console.cloud.google.com/iam-admin/serviceaccounts?project=${encodeURIComponent(credential.projectId)}`,
    },
    new ApiError({ status: 503, kind: 'no_credentials', message }),
  );
}
