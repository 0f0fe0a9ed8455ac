import { Credential } from '../credential';

/** One credential as its source read it. */
export interface LoadedCredential {
  credential: Credential;
  /**
   * A digest of what the credential's file says apart from the fields a write-back changes: two
   * loads with the same digest saw the same grant, whatever tokens or projects were written back
   * in between (see `CredentialReconciler`).
   */
  grant?: string;
  /** The file holds exactly what this process last wrote to it: nothing new to take. */
  ownWrite?: boolean;
}

/**
 * Where credentials come from: the folder, CREDENTIALS_JSON_LIST, the key variables,
 * GOOGLE_APPLICATION_CREDENTIALS, and (next) the database. Every source is read again on each
 * reload; an entry it cannot use is logged, without its secret, and skipped.
 */
export interface CredentialSource {
  load(): Promise<LoadedCredential[]>;
}
