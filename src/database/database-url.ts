/**
 * DATABASE_URL as it may be shown (logs, /admin, errors): the password replaced by `***`. A URL
 * that does not parse is shown as nothing rather than risk printing it.
 */
export function redactDatabaseUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'postgres://(unparsable URL)';
  }
}

/** A driver's error message with any copy of `secret` cut out (pg quotes connection strings in a few). */
export function withoutSecret(message: string, secret: string | undefined): string {
  if (!secret) return message;
  return message.split(secret).join('***');
}
