import {
  Inject,
  Injectable,
  Logger,
  OnApplicationShutdown,
  OnModuleInit,
  Optional,
} from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { createHash } from 'node:crypto';
import * as path from 'node:path';
import { credentialsConfig, oauthConfig, upstreamConfig } from '../config/configuration';
import { AccessTokenProvider, RefreshedToken } from './access-token-provider';
import { Clock } from '../time/clock';
import {
  Credential,
  OAuthCredential,
  shownField,
  VertexServiceAccountCredential,
} from './credential';
import {
  CredentialFileStore,
  OAUTH_FILE_PATTERN,
  UnreadableCredentialFileError,
} from './credential-file-store';
import { apiKeyCredential, parseCredential, ParseDefaults, uniqueIds } from './credential-parser';
import { CredentialPool } from './credential-pool';
import { credentialTable } from './credential-table';
import {
  isServiceAccountKey,
  parseServiceAccount,
  vertexExpressCredential,
} from './service-account';
import { ServiceAccountTokens } from './service-account-tokens';
import { TOKEN_COORDINATOR, TokenCoordinator } from './token-coordinator';

/**
 * Owns the pool's membership: loads credentials from files, CREDENTIALS_JSON_LIST and
 * GEMINI_API_KEYS, reloads the folder when it changes, and writes refreshed tokens and
 * discovered projects back to the file each credential came from.
 */
@Injectable()
export class CredentialsService implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('Credentials');
  private readonly defaults: ParseDefaults;
  private readonly tokens: AccessTokenProvider;
  private readonly serviceAccountTokens: ServiceAccountTokens;
  private watcher?: { close(): void };
  private tempSweepTimer?: NodeJS.Timeout;
  private stopped = false;
  private writes = new Map<string, Promise<void>>();
  private reloading: Promise<void> = Promise.resolve();
  /** Per file, the digest of what a write-back leaves alone (see grantDigest). */
  private readonly grants = new Map<string, string>();

  constructor(
    readonly pool: CredentialPool,
    private readonly files: CredentialFileStore,
    private readonly clock: Clock,
    @Inject(credentialsConfig.KEY) private readonly config: ConfigType<typeof credentialsConfig>,
    @Inject(oauthConfig.KEY) oauth: ConfigType<typeof oauthConfig>,
    @Optional() @Inject(upstreamConfig.KEY) upstream?: ConfigType<typeof upstreamConfig>,
    @Optional() @Inject(TOKEN_COORDINATOR) coordinator?: TokenCoordinator,
  ) {
    this.defaults = { clientId: oauth.clientId, clientSecret: oauth.clientSecret };
    this.tokens = new AccessTokenProvider(
      oauth.tokenUrl,
      (c, t, refreshed) => this.onTokenRefreshed(c, t, refreshed),
      () => this.clock.now(),
      upstream?.tokenTimeoutMs,
      coordinator ?? undefined,
    );
    this.serviceAccountTokens = new ServiceAccountTokens(
      oauth.tokenUrl,
      () => this.clock.now(),
      upstream?.tokenTimeoutMs,
      coordinator ?? undefined,
    );
  }

  get usesFiles(): boolean {
    return this.config.jsonList.length === 0;
  }

  async onModuleInit(): Promise<void> {
    if (this.usesFiles) await this.removeStaleTempFiles();
    await this.load();
    this.logTable();
    if (this.usesFiles) {
      this.watcher = this.files.watch(() => void this.reload(), {
        onTempFile: () => void this.removeStaleTempFiles(),
      });
    }
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    this.watcher?.close();
    clearTimeout(this.tempSweepTimer);
    await this.flush();
  }

  /** Waits until every pending write-back has reached the disk. */
  async flush(): Promise<void> {
    await Promise.allSettled([...this.writes.values()]);
  }

  accessToken(credential: OAuthCredential): Promise<string> {
    return this.tokens.accessToken(this.current(credential));
  }

  async forceRefresh(credential: OAuthCredential): Promise<string> {
    return (await this.tokens.refresh(this.current(credential))).accessToken;
  }

  /** A Vertex access token by the JWT bearer grant; `fresh` after Google answered 401. */
  serviceAccountToken(credential: VertexServiceAccountCredential, fresh = false): Promise<string> {
    return this.serviceAccountTokens.accessToken(credential, fresh);
  }

  /** Records a project found by discovery or onboarding, in memory and in the credential's file. */
  setProject(credential: OAuthCredential, projectId: string): OAuthCredential {
    const updated: OAuthCredential = { ...this.current(credential), projectId };
    this.pool.update(updated);
    this.writeBack(updated, { project_id: projectId });
    return updated;
  }

  /** The pool's copy, which may hold a newer token than the caller's. */
  current(credential: OAuthCredential): OAuthCredential {
    const found = this.pool.get(credential.id);
    return found?.kind === 'oauth' ? found : credential;
  }

  /** Re-reads the folder; a changed file re-enables its credential. */
  reload(): Promise<void> {
    this.reloading = this.reloading.then(
      () => this.load(true),
      () => this.load(true),
    );
    return this.reloading;
  }

  private async load(isReload = false): Promise<void> {
    const fromFiles = this.usesFiles ? await this.loadFiles(isReload) : this.loadJsonList();
    const keys = this.config.apiKeys.map(apiKeyCredential);
    const adc = await this.loadApplicationCredentials();
    const express = this.config.vertexApiKeys.map(vertexExpressCredential);
    const next = uniqueIds<Credential>([...fromFiles, ...adc, ...keys, ...express]);
    if (isReload) {
      const before = new Set(this.pool.list().map((c) => c.id));
      const after = new Set(next.map((c) => c.id));
      const added = [...after].filter((id) => !before.has(id));
      const removed = [...before].filter((id) => !after.has(id));
      if (added.length || removed.length) {
        this.logger.log(
          `Credential folder changed: ${added.length} added, ${removed.length} removed; pool has ${next.length}`,
        );
      }
      for (const id of removed) {
        this.tokens.forget(id);
        this.serviceAccountTokens.forget(id);
      }
    }
    this.pool.replaceAll(next);
  }

  private loadJsonList(): (OAuthCredential | VertexServiceAccountCredential)[] {
    const out: (OAuthCredential | VertexServiceAccountCredential)[] = [];
    this.config.jsonList.forEach((raw, i) => {
      if (isServiceAccountKey(raw)) {
        const account = parseServiceAccount(raw, this.config.vertexLocation);
        if (account.ok) out.push(account.credential);
        else
          this.logger.warn(
            `Skipping CREDENTIALS_JSON_LIST[${i}]: it is a service-account key that ${account.problem}`,
          );
        return;
      }
      const result = parseCredential(raw, this.defaults);
      if (!result.ok) {
        this.logger.warn(`Skipping CREDENTIALS_JSON_LIST[${i}]: it ${result.problem}`);
      } else if (result.credential.kind === 'oauth') {
        out.push(result.credential);
      } else {
        this.logger.warn(
          `Skipping CREDENTIALS_JSON_LIST[${i}]: API keys belong in GEMINI_API_KEYS`,
        );
      }
    });
    return out;
  }

  /** The one key file GOOGLE_APPLICATION_CREDENTIALS names (Google's ADC convention). */
  private async loadApplicationCredentials(): Promise<VertexServiceAccountCredential[]> {
    const file = this.config.applicationCredentials;
    if (!file) return [];
    const where = `GOOGLE_APPLICATION_CREDENTIALS (${shownField(path.basename(file))})`;
    let raw: unknown;
    try {
      raw = JSON.parse((await this.files.read(file)).text);
    } catch (error) {
      this.logger.warn(
        `Skipping ${where}: ${error instanceof SyntaxError ? 'it is not valid JSON' : unreadable(error)}`,
      );
      return [];
    }
    if (!isServiceAccountKey(raw)) {
      this.logger.warn(
        `Skipping ${where}: it is not a service-account key ("type": "service_account")`,
      );
      return [];
    }
    const result = parseServiceAccount(raw, this.config.vertexLocation);
    if (!result.ok) {
      this.logger.warn(`Skipping ${where}: it ${result.problem}`);
      return [];
    }
    return [{ ...result.credential, sourceFile: file }];
  }

  private async loadFiles(
    isReload: boolean,
  ): Promise<(OAuthCredential | VertexServiceAccountCredential)[]> {
    await this.files.ensureDir().catch(() => undefined);
    const bySource = new Map<string, OAuthCredential>();
    for (const c of this.pool.list())
      if (c.kind === 'oauth' && c.sourceFile) bySource.set(c.sourceFile, c);
    const out: (OAuthCredential | VertexServiceAccountCredential)[] = [];
    // Every read at once: one after another, 1,000 files cost 1,000 thread-pool round trips at boot.
    const files = await this.files.list();
    const reads = await Promise.allSettled(files.map((file) => this.files.read(file)));
    for (const [i, file] of files.entries()) {
      const fileName = path.basename(file);
      // File names reach the log: bounded, and without a newline that would forge a line.
      const name = shownField(fileName);
      const read = reads[i];
      if (read.status === 'rejected') {
        this.logger.warn(`Skipping ${name}: ${unreadable(read.reason)}`);
        continue;
      }
      const text = read.value.text;
      const existing = bySource.get(file);
      if (existing && this.files.isOwnWrite(file, text)) {
        out.push(existing);
        continue;
      }
      let raw: unknown;
      try {
        raw = JSON.parse(text);
      } catch {
        this.logger.warn(`Skipping ${name}: it is not valid JSON`);
        continue;
      }
      // Service-account keys are known by their content, whatever the file is called.
      if (isServiceAccountKey(raw)) {
        const account = parseServiceAccount(raw, this.config.vertexLocation);
        if (!account.ok) {
          this.logger.warn(`Skipping ${name}: it is a service-account key that ${account.problem}`);
          continue;
        }
        const before = this.pool.get(account.credential.id);
        if (
          isReload &&
          before?.kind === 'vertex' &&
          before.mode === 'service-account' &&
          before.privateKey !== account.credential.privateKey
        ) {
          // A new key for the account (the old one deleted or disabled): a fresh start.
          this.pool.enable(before.id);
          this.serviceAccountTokens.forget(before.id);
          this.logger.log(`Reloaded ${name}; its credential is enabled again`);
        }
        out.push({ ...account.credential, sourceFile: file });
        continue;
      }
      // Any other JSON in the folder that is not named as a credential is somebody else's file.
      if (!OAUTH_FILE_PATTERN.test(fileName)) continue;
      const result = parseCredential(raw, this.defaults);
      if (!result.ok || result.credential.kind !== 'oauth') {
        this.logger.warn(
          `Skipping ${name}: it ${result.ok ? 'holds an API key; use GEMINI_API_KEYS' : result.problem}`,
        );
        continue;
      }
      const credential: OAuthCredential = { ...result.credential, sourceFile: file };
      const grant = grantDigest(raw);
      const onlyWrittenBack = this.grants.get(file) === grant;
      this.grants.set(file, grant);
      if (isReload && existing && onlyWrittenBack) {
        // Another replica's write-back (a refreshed token, a discovered project) on a shared
        // folder: the account is the same, so its shared state (cooldowns, disabled mark) and
        // its token stay; only a newer token or a project is taken from the file.
        out.push(mergeWriteBack(existing, credential));
        continue;
      }
      if (isReload && existing) {
        // The user replaced the file (a new login, a fixed licence): give the account a fresh start.
        credential.id = existing.id;
        this.pool.enable(existing.id);
        this.tokens.forget(existing.id);
        this.logger.log(`Reloaded ${name}; its credential is enabled again`);
      }
      out.push(credential);
    }
    return out;
  }

  /**
   * A write killed mid-way (`kill -9`, a crash, a full disk) leaves its temporary file, a whole
   * credential with its refresh token. Removes those that are stale, and looks again when the
   * first one left in place becomes stale (a young one may be another replica's write under way).
   */
  private async removeStaleTempFiles(): Promise<void> {
    try {
      const { removed, nextStaleAt } = await this.files.removeStaleTempFiles(this.clock.now());
      if (removed > 0) {
        this.logger.log(
          `Removed ${removed} stale temporary credential file(s) left by an interrupted write`,
        );
      }
      clearTimeout(this.tempSweepTimer);
      if (nextStaleAt !== undefined && !this.stopped) {
        this.tempSweepTimer = setTimeout(
          () => void this.removeStaleTempFiles(),
          Math.max(0, nextStaleAt - this.clock.now()) + 100,
        );
        this.tempSweepTimer.unref();
      }
    } catch (error) {
      this.logger.warn(`Could not remove stale temporary files: ${(error as Error).message}`);
    }
  }

  /** Only the replica that called Google writes the file; the others reuse the token in memory. */
  private onTokenRefreshed(
    credential: OAuthCredential,
    token: RefreshedToken,
    refreshed: boolean,
  ): void {
    const updated: OAuthCredential = {
      ...this.current(credential),
      accessToken: token.accessToken,
      expiryDate: token.expiryDate,
    };
    this.pool.update(updated);
    if (refreshed) {
      this.writeBack(updated, { access_token: token.accessToken, expiry_date: token.expiryDate });
    }
  }

  /** Merges fields into the credential's file, keeping every field it already had. Serialised per file. */
  private writeBack(credential: OAuthCredential, fields: Record<string, unknown>): void {
    const file = credential.sourceFile;
    if (!file) return;
    const previous = this.writes.get(file) ?? Promise.resolve();
    const next = previous
      .then(async () => {
        const current = JSON.parse((await this.files.read(file)).text) as Record<string, unknown>;
        await this.files.writeJson(file, { ...current, ...fields });
      })
      .catch((error: Error) => {
        this.logger.warn(`Could not update ${shownField(path.basename(file))}: ${error.message}`);
      });
    this.writes.set(file, next);
    void next.finally(() => {
      if (this.writes.get(file) === next) this.writes.delete(file);
    });
  }

  private logTable(): void {
    const list = this.pool.list();
    if (list.length === 0) {
      this.logger.warn(
        'No credentials loaded. Add Google accounts with `npm run gen-creds` (files go to ' +
          `${this.config.storagePath}), put Vertex AI service-account keys there, or set ` +
          'CREDENTIALS_JSON_LIST, GEMINI_API_KEYS, VERTEX_API_KEYS or GOOGLE_APPLICATION_CREDENTIALS. ' +
          'Model calls answer 503 until then.',
      );
      return;
    }
    this.logger.log(`Loaded ${list.length} credential(s):\n${credentialTable(list)}`);
  }
}

/** Why a file was not read: the store's own reason, or the system's error. */
function unreadable(error: unknown): string {
  if (error instanceof UnreadableCredentialFileError) return error.message;
  return `cannot read it (${(error as Error).message})`;
}

/** The fields a replica writes back; a change elsewhere in the file is the user's. */
const WRITTEN_BACK = new Set(['access_token', 'expiry_date', 'project_id']);

/** The file's content without its written-back fields, so that a write-back leaves it unchanged. */
function grantDigest(raw: unknown): string {
  const fields =
    raw && typeof raw === 'object' && !Array.isArray(raw)
      ? Object.entries(raw as Record<string, unknown>)
          .filter(([key]) => !WRITTEN_BACK.has(key))
          .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      : [];
  return createHash('sha256').update(JSON.stringify(fields)).digest('hex');
}

/** Keeps the credential's identity; takes the file's token only when it lasts longer. */
function mergeWriteBack(existing: OAuthCredential, read: OAuthCredential): OAuthCredential {
  const newer =
    read.accessToken !== undefined && (read.expiryDate ?? 0) > (existing.expiryDate ?? 0);
  return {
    ...existing,
    projectId: existing.projectId ?? read.projectId,
    ...(newer ? { accessToken: read.accessToken, expiryDate: read.expiryDate } : {}),
  };
}
