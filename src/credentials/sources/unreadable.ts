import { UnreadableCredentialFileError } from '../credential-file-store';

/** Why a file was not read: the store's own reason, or the system's error. */
export function unreadable(error: unknown): string {
  if (error instanceof UnreadableCredentialFileError) return error.message;
  return `cannot read it (${(error as Error).message})`;
}
