import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import * as path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { credentialsConfig, oauthConfig } from '../config/configuration';
import { CredentialFileStore, credentialFileName } from '../credentials/credential-file-store';
import { CodeAssistClient } from '../upstream/code-assist/code-assist-client';
import { setUpCodeAssistProject } from '../upstream/code-assist/code-assist-setup';
import {
  CallbackParams,
  callbackParamsFromPastedUrl,
  callbackParamsFromQuery,
} from './callback-params';
import { chooseCredentialFileName, credentialFileContent, ExistingFile } from './credential-file';
import { GoogleLogin } from './google-login';
import { LoginError } from './login-errors';
import { ChosenProject, chooseProject } from './login-project';
import { LoginStateStore } from './login-state-store';
import type { LoginPage, SuccessPage } from './page-models';
import { readProjectId } from './project-id';
import { redirectNotes } from './redirect-notes';
import { setupFailure } from './setup-failure';

/** How long onboarding may poll Google's operation (gemini-cli polls every 5 s). */
export interface OnboardingPolling {
  pollIntervalMs: number;
  maxPolls: number;
}

export const ONBOARDING_POLLING = Symbol('ONBOARDING_POLLING');

/**
 * The credential generator's flow: start a login, complete it from Google's callback (or the
 * address the user pasted), find or onboard the Code Assist project, and save the file.
 */
@Injectable()
export class GeneratorService implements OnApplicationShutdown {
  private readonly logger = new Logger('Generator');
  /** Aborted at shutdown, so a login still talking to Google does not hold the process open. */
  private readonly lifetime = new AbortController();

  constructor(
    @Inject(oauthConfig.KEY) private readonly oauth: ConfigType<typeof oauthConfig>,
    @Inject(credentialsConfig.KEY) private readonly storage: ConfigType<typeof credentialsConfig>,
    @Inject(ONBOARDING_POLLING) private readonly polling: OnboardingPolling,
    private readonly google: GoogleLogin,
    private readonly states: LoginStateStore,
    private readonly codeAssist: CodeAssistClient,
    private readonly files: CredentialFileStore,
  ) {}

  onApplicationShutdown(): void {
    this.lifetime.abort();
  }

  async loginPage(): Promise<LoginPage> {
    const notes = redirectNotes(this.oauth);
    return {
      title: 'Add a Google account',
      redirectUri: this.oauth.redirectUri,
      defaultClientNote: notes.some((n) => n.kind === 'default-client-needs-loopback'),
      httpsNote: notes.some((n) => n.kind === 'web-client-needs-https'),
      fallbackProject: this.storage.googleCloudProject,
      folder: this.folder,
      ...(await this.folderContents()),
    };
  }

  /** Registers a login for this browser and returns where to send it. */
  startLogin(input: { projectId: unknown; browserId?: string; clientAddress?: string }): {
    consentUrl: string;
    browserId: string;
  } {
    const projectId = readProjectId(input.projectId);
    const browserId = this.states.browserId(input.browserId);
    const attempt = this.states.start({
      browserId,
      clientAddress: input.clientAddress,
      projectId,
      redirectUri: this.oauth.redirectUri,
    });
    return { consentUrl: this.google.consentUrl(attempt), browserId };
  }

  /** Google's redirect to `DOMAIN_NAME/oauth2callback`. */
  async completeCallback(
    query: Record<string, unknown>,
    browserId: string | undefined,
  ): Promise<SuccessPage> {
    return this.complete(callbackParamsFromQuery(query), browserId);
  }

  /** The same redirect's address, pasted by a user whose browser could not reach DOMAIN_NAME. */
  async completePasted(pasted: unknown, browserId: string | undefined): Promise<SuccessPage> {
    return this.complete(callbackParamsFromPastedUrl(pasted), browserId);
  }

  private async complete(
    params: CallbackParams,
    browserId: string | undefined,
  ): Promise<SuccessPage> {
    if (params.error) {
      if (params.state) this.states.discard(params.state);
      throw new LoginError({
        kind: 'consent-refused',
        error: params.error,
        description: params.errorDescription,
      });
    }
    const attempt = this.states.take(params.state, browserId);
    if (!params.code) throw new LoginError({ kind: 'missing-code' });

    const tokens = await this.google.exchange(params.code, attempt);
    const email = await this.google.email(tokens.accessToken);
    // Without a refresh token the file would stop working within the hour; say so now.
    if (!tokens.refreshToken) throw new LoginError({ kind: 'no-refresh-token', email });

    const project = await this.setUpProject(tokens.accessToken, email, attempt.projectId);
    const saved = await this.save(email, project.projectId, {
      clientId: this.oauth.clientId,
      clientSecret: this.oauth.clientSecret,
      refreshToken: tokens.refreshToken,
      tokenUri: this.oauth.tokenUrl,
      projectId: project.projectId,
      email,
      accessToken: tokens.accessToken,
      expiryDate: tokens.expiryDate,
    });
    this.logger.log(
      `Saved ${saved.fileName} for ${email} (project ${project.projectId}, ${project.tierId}); ` +
        `${saved.fileCount} credential file(s) in ${this.folder}`,
    );
    return {
      title: 'Account added',
      email,
      projectId: project.projectId,
      projectSource: project.source,
      fromEnvironment: project.source === 'GOOGLE_CLOUD_PROJECT',
      tierId: project.tierId,
      onboarded: project.onboarded,
      fileName: saved.fileName,
      folder: this.folder,
      replaced: saved.replaced,
      fileCount: saved.fileCount,
      plural: saved.fileCount !== 1,
    };
  }

  private get folder(): string {
    return path.resolve(this.storage.storagePath);
  }

  /** The form says how many files the folder holds, or why it cannot be read, before anyone logs in. */
  private async folderContents(): Promise<Pick<LoginPage, 'fileCount' | 'folderProblem'>> {
    try {
      return { fileCount: (await this.files.list()).length };
    } catch (error) {
      return { fileCount: 0, folderProblem: (error as NodeJS.ErrnoException).code ?? 'unreadable' };
    }
  }

  private async setUpProject(
    accessToken: string,
    email: string,
    typed: string | undefined,
  ): Promise<ChosenProject> {
    const signal = this.lifetime.signal;
    const api = this.codeAssist.setupApi(accessToken, signal);
    let tried: string | undefined;
    const setUp = (projectId?: string) => {
      tried = projectId;
      return setUpCodeAssistProject(api, {
        projectId,
        pollIntervalMs: this.polling.pollIntervalMs,
        maxPolls: this.polling.maxPolls,
        sleep: (ms) => sleep(ms, undefined, { signal }),
      });
    };
    try {
      return await chooseProject(setUp, typed, this.storage.googleCloudProject);
    } catch (error) {
      throw setupFailure(error, email, tried);
    }
  }

  private async save(
    email: string,
    projectId: string,
    credential: Parameters<typeof credentialFileContent>[0],
  ): Promise<{ fileName: string; replaced: boolean; fileCount: number }> {
    try {
      await this.files.ensureDir();
      const preferred = credentialFileName(email, projectId);
      const existing = await this.readExisting(path.join(this.files.dir, preferred));
      const fileName = chooseCredentialFileName(email, projectId, existing);
      const file = path.join(this.files.dir, fileName);
      const replaced =
        fileName === preferred
          ? existing !== undefined
          : (await this.readExisting(file)) !== undefined;
      await this.files.writeJson(file, credentialFileContent(credential));
      return { fileName, replaced, fileCount: (await this.files.list()).length };
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      throw new LoginError({
        kind: 'save-failed',
        folder: this.folder,
        detail: code ?? (error instanceof Error ? error.message : String(error)),
      });
    }
  }

  private async readExisting(file: string): Promise<ExistingFile | undefined> {
    let text: string;
    try {
      text = (await this.files.read(file)).text;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
    try {
      return { content: JSON.parse(text) as unknown };
    } catch {
      return { content: undefined };
    }
  }
}
