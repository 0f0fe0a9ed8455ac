import { Inject, Injectable, Logger } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { credentialsConfig } from '../../config/configuration';
import { OAuthCredential } from '../../credentials/credential';
import { CredentialsService } from '../../credentials/credentials.service';
import { Verdict } from '../error-classifier';
import { BackendSession } from '../upstream-backend';
import { CredentialSetupError } from '../upstream-errors';
import { waitForToken } from '../token-wait';
import { CodeAssistAuth, CodeAssistClient } from './code-assist-client';
import {
  IneligibleAccountError,
  OnboardingTimeoutError,
  ProjectRequiredError,
  setUpCodeAssistProject,
} from './code-assist-setup';

/**
 * Gets an OAuth credential ready for a Code Assist call: an access token (refreshed when near
 * expiry, or on demand after a 401) and the account's project, found or onboarded once per
 * credential and shared by the requests that wait on it.
 */
@Injectable()
export class CodeAssistSessions {
  private readonly logger = new Logger('Dispatcher');
  private readonly setups = new Map<string, Promise<OAuthCredential>>();

  constructor(
    private readonly credentials: CredentialsService,
    private readonly client: CodeAssistClient,
    @Inject(credentialsConfig.KEY) private readonly config: ConfigType<typeof credentialsConfig>,
  ) {}

  async open(
    credential: OAuthCredential,
    signal: AbortSignal,
  ): Promise<BackendSession<CodeAssistAuth>> {
    const ready = await this.ensureProject(credential, signal);
    const auth = async (fresh: boolean): Promise<CodeAssistAuth> => ({
      accessToken: await this.token(ready, fresh, signal),
      projectId: ready.projectId ?? '',
      proxy: ready.proxy,
    });
    return { credential: ready, auth: await auth(false), refresh: () => auth(true) };
  }

  /** Finds or creates the credential's Code Assist project once, sharing the work between requests. */
  private ensureProject(
    credential: OAuthCredential,
    signal: AbortSignal,
  ): Promise<OAuthCredential> {
    if (credential.projectId) return Promise.resolve(credential);
    const running = this.setups.get(credential.id);
    if (running) return running;
    const promise = (async () => {
      const token = await this.token(credential, false, signal);
      const api = this.client.setupApi(token, signal, credential.proxy);
      const result = await setUpCodeAssistProject(api, {
        projectId: this.config.googleCloudProject,
      }).catch((error: unknown) => {
        const verdict = setupVerdict(error);
        throw verdict ? new CredentialSetupError(verdict, error) : error;
      });
      this.logger.log(
        `Credential ${credential.id} uses project ${result.projectId} (${result.tierId})`,
      );
      return this.credentials.setProject(credential, result.projectId);
    })().finally(() => this.setups.delete(credential.id));
    this.setups.set(credential.id, promise);
    return promise;
  }

  /**
   * An access token. Its time limit is the token provider's (UPSTREAM_TIMEOUT_MS, shared by every
   * request waiting on one refresh); a client that hangs up stops waiting at once.
   */
  private token(credential: OAuthCredential, fresh: boolean, signal: AbortSignal): Promise<string> {
    const pending = fresh
      ? this.credentials.forceRefresh(credential)
      : this.credentials.accessToken(credential);
    return waitForToken(pending, signal);
  }
}

/** How onboarding's own failures bear on the credential. */
function setupVerdict(error: unknown): Verdict | undefined {
  if (error instanceof IneligibleAccountError) {
    const first = error.reasons[0];
    return {
      action: 'disable',
      reason: first?.reasonCode ?? 'INELIGIBLE',
      message: error.message,
      fixUrl: error.fixUrl,
    };
  }
  if (error instanceof ProjectRequiredError) {
    return { action: 'disable', reason: 'PROJECT_REQUIRED', message: error.message };
  }
  if (error instanceof OnboardingTimeoutError) {
    return { action: 'transient', reason: 'ONBOARDING_PENDING', message: error.message };
  }
  return undefined;
}
