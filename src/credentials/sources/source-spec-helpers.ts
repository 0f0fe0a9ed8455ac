import { ConsoleLogger, Logger } from '@nestjs/common';
import { generateKeyPairSync } from 'node:crypto';

/** A service-account key file as the Cloud console gives it, with a real RSA key. */
export function serviceAccountKeyFile(
  fields: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    type: 'service_account',
    project_id: 'my-proj',
    private_key_id: 'abcdef0123456789',
    private_key: PEM,
    client_email: 'runner@my-proj.iam.gserviceaccount.com',
    ...fields,
  };
}

const PEM = generateKeyPairSync('rsa', { modulusLength: 2048 })
  .privateKey.export({ type: 'pkcs8', format: 'pem' })
  .toString();

/** An OAuth file as the generator writes it, for the account `name@example.com`. */
export function generatedOAuthFile(name: string, fields: Record<string, unknown> = {}) {
  return {
    client_id: 'client-id',
    client_secret: 'client-secret',
    refresh_token: `1//rt-${name}`,
    project_id: `proj-${name}`,
    user_email: `${name}@example.com`,
    ...fields,
  };
}

export const DEFAULTS = { clientId: 'default-client', clientSecret: 'default-secret' };

/** Collects what the Nest logger prints until `restore`. */
export function captureLog(): { lines: string[]; restore(): void } {
  const lines: string[] = [];
  const capture = (message: unknown) => void lines.push(String(message));
  Logger.overrideLogger({ log: capture, warn: capture, error: capture });
  return { lines, restore: () => Logger.overrideLogger(new ConsoleLogger()) };
}
