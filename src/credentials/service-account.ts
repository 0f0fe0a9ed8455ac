import { createPrivateKey } from 'node:crypto';
import { emailProblem, projectIdProblem, proxyField } from './credential-fields';
import {
  secretSuffix,
  VertexExpressCredential,
  VertexServiceAccountCredential,
} from './credential';

export type ServiceAccountResult =
  { ok: true; credential: VertexServiceAccountCredential } | { ok: false; problem: string };

/** Google Cloud location names: `global`, `us`, `eu`, `us-central1`, `europe-west4`… */
export const LOCATION_PATTERN = /^[a-z][a-z0-9-]*$/;

const str = (v: unknown): string | undefined =>
  typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;

/** True for a JSON object that says it is a Google service-account key. */
export function isServiceAccountKey(raw: unknown): raw is Record<string, unknown> {
  return (
    typeof raw === 'object' &&
    raw !== null &&
    !Array.isArray(raw) &&
    (raw as Record<string, unknown>).type === 'service_account'
  );
}

/**
 * Reads a service-account key file as the Cloud console writes it (`client_email`, `private_key`,
 * `project_id`, …). A `location` field of our own overrides the default location; a `proxy` field names its own
 * outbound proxy. The private key
 * is parsed here, so a damaged key skips the file at load rather than failing every request; no
 * problem message ever quotes the key.
 */
export function parseServiceAccount(
  raw: Record<string, unknown>,
  defaultLocation: string,
): ServiceAccountResult {
  const clientEmail = str(raw.client_email);
  if (!clientEmail) return { ok: false, problem: 'has no client_email' };
  const badEmail = emailProblem('client_email', clientEmail, true);
  if (badEmail) return { ok: false, problem: badEmail };
  const privateKey = typeof raw.private_key === 'string' ? raw.private_key : undefined;
  if (!privateKey?.trim()) return { ok: false, problem: 'has no private_key' };
  try {
    const key = createPrivateKey(privateKey);
    if (key.asymmetricKeyType !== 'rsa') return { ok: false, problem: 'has a non-RSA private_key' };
  } catch {
    return { ok: false, problem: 'has a private_key that is not a readable PEM key' };
  }
  const projectId = str(raw.project_id) ?? str(raw.quota_project_id);
  if (!projectId) return { ok: false, problem: 'has no project_id' };
  const badProject = projectIdProblem('project_id', projectId);
  if (badProject) return { ok: false, problem: badProject };
  const location = str(raw.location) ?? defaultLocation;
  if (!LOCATION_PATTERN.test(location) || location.length > 64) {
    return {
      ok: false,
      problem: `has a location (${JSON.stringify(location.slice(0, 40))}${location.length > 40 ? '…' : ''}) that is not a Google Cloud location`,
    };
  }
  const route = proxyField(raw.proxy);
  if ('problem' in route) return { ok: false, problem: route.problem };
  return {
    ok: true,
    credential: {
      kind: 'vertex',
      mode: 'service-account',
      id: `${clientEmail}/${location}`,
      clientEmail,
      privateKey,
      privateKeyId: str(raw.private_key_id),
      projectId,
      location,
      ...route,
    },
  };
}

export function vertexExpressCredential(apiKey: string): VertexExpressCredential {
  return {
    kind: 'vertex',
    mode: 'express',
    id: `vertex-key${secretSuffix(apiKey)}`,
    apiKey,
    location: 'global',
  };
}
