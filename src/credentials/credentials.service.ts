import {
  Inject,
  Injectable,
  Logger,
  OnApplicationShutdown,
  OnModuleInit,
  Optional,
} from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import * as path from 'node:path';
import { credentialsConfig, oauthConfig, upstreamConfig } from '../config/configuration';
import { Clock } from '../time/clock';
import { OAuthCredential, shownField, VertexServiceAccountCredential } from './credential';
import { CredentialFileStore } from './credential-file-store';
import { ParseDefaults } from './credential-parser';
import { CredentialPool } from './credential-pool';
import { CredentialReconciler } from './credential-reconciler';
import { credentialTable } from './credential-table';
import { CredentialTokens } from './credential-tokens';
import { CredentialWriteBack } from './credential-write-back';
import { ApiKeySource } from './sources/api-key-source';
import { ApplicationCredentialsSource } from './sources/application-credentials-source';
import { CredentialSource } from './sources/credential-source';
import { DatabaseCredentialSource } from './sources/database-credential-source';
import { FolderSource } from './sources/folder-source';
import { JsonListSource } from './sources/json-list-source';
import { TempFileSweeper } from './temp-file-sweeper';
import { TOKEN_COORDINATOR, TokenCoordinator } from './token-coordinator';
import { RouteOut } from '../route-out/route-out';

/**
 * Owns the pool's membership: composes the sources, reconciles each reload with the pool, sweeps
 * the folder's leftover temporary files, and hands out tokens whose refreshes are written back.
 */
@Injectable()
export class CredentialsService implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('Credentials');
  private readonly sources: CredentialSource[];
  private readonly reconciler = new CredentialReconciler();
  private readonly writeBack: CredentialWriteBack;
  private readonly tokens: CredentialTokens;
  private readonly sweeper: TempFileSweeper;
  private watcher?: { close(): void };
  private reloading: Promise<void> = Promise.resolve();

  constructor(
    readonly pool: CredentialPool,
    private readonly files: CredentialFileStore,
    clock: Clock,
    @Inject(credentialsConfig.KEY) private readonly config: ConfigType<typeof credentialsConfig>,
    @Inject(oauthConfig.KEY) oauth: ConfigType<typeof oauthConfig>,
    @Optional() @Inject(upstreamConfig.KEY) upstream?: ConfigType<typeof upstreamConfig>,
    @Optional() @Inject(TOKEN_COORDINATOR) coordinator?: TokenCoordinator,
    @Optional() routeOut?: RouteOut,
    @Optional() private readonly stored?: DatabaseCredentialSource,
  ) {
    this.sources = credentialSources(
      config,
      files,
      { clientId: oauth.clientId, clientSecret: oauth.clientSecret },
      stored,
    );
    this.writeBack = new CredentialWriteBack(files);
    this.tokens = new CredentialTokens({
      tokenUrl: oauth.tokenUrl,
      clock,
      pool,
      writeBack: this.writeBack,
      timeoutMs: upstream?.tokenTimeoutMs,
      coordinator: coordinator ?? undefined,
      routeOut: routeOut ?? undefined,
    });
    this.sweeper = new TempFileSweeper(files, clock);
  }

  get usesFiles(): boolean {
    return this.config.jsonList.length === 0;
  }

  async onModuleInit(): Promise<void> {
    if (this.usesFiles) await this.sweeper.sweep();
    await this.load(false);
    this.logTable();
    this.stored?.onChange(() => void this.reload());
    if (this.usesFiles) {
      this.watcher = this.files.watch(() => void this.reload(), {
        onTempFile: () => void this.sweeper.sweep(),
      });
    }
  }

  async onApplicationShutdown(): Promise<void> {
    this.watcher?.close();
    this.sweeper.stop();
    await this.flush();
  }

  /** Waits until every pending write-back has reached the disk. */
  flush(): Promise<void> {
    return this.writeBack.flush();
  }

  accessToken(credential: OAuthCredential): Promise<string> {
    return this.tokens.accessToken(credential);
  }

  forceRefresh(credential: OAuthCredential): Promise<string> {
    return this.tokens.forceRefresh(credential);
  }

  /** A Vertex access token by the JWT bearer grant; `fresh` after Google answered 401. */
  serviceAccountToken(credential: VertexServiceAccountCredential, fresh = false): Promise<string> {
    return this.tokens.serviceAccountToken(credential, fresh);
  }

  /** Records a project found by discovery or onboarding, in memory and in the credential's file. */
  setProject(credential: OAuthCredential, projectId: string): OAuthCredential {
    const updated: OAuthCredential = { ...this.current(credential), projectId };
    this.pool.update(updated);
    this.writeBack.write(updated.sourceFile, { project_id: projectId });
    return updated;
  }

  /** The pool's copy, which may hold a newer token than the caller's. */
  current(credential: OAuthCredential): OAuthCredential {
    return this.tokens.current(credential);
  }

  /** Re-reads every source; a changed file re-enables its credential. */
  reload(): Promise<void> {
    this.reloading = this.reloading.then(
      () => this.load(true),
      () => this.load(true),
    );
    return this.reloading;
  }

  private async load(isReload: boolean): Promise<void> {
    const loaded = (await Promise.all(this.sources.map((s) => s.load()))).flat();
    const { next, added, removed, freshStarts } = this.reconciler.reconcile(
      this.pool.list(),
      loaded,
    );
    for (const { id, sourceFile } of freshStarts) {
      this.pool.enable(id);
      this.tokens.forget(id);
      const name = sourceFile ? shownField(path.basename(sourceFile)) : id;
      this.logger.log(`Reloaded ${name}; its credential is enabled again`);
    }
    if (isReload && (added.length || removed.length)) {
      this.logger.log(
        `Credential folder changed: ${added.length} added, ${removed.length} removed; pool has ${next.length}`,
      );
    }
    for (const id of removed) this.tokens.forget(id);
    this.pool.replaceAll(next);
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

/**
 * The sources in the pool's order: the folder (or CREDENTIALS_JSON_LIST, which replaces it), the
 * ADC key file, then the keys. Credentials added at run time (the database) join here as one more.
 */
export function credentialSources(
  config: ConfigType<typeof credentialsConfig>,
  files: CredentialFileStore,
  defaults: ParseDefaults,
  stored?: CredentialSource,
): CredentialSource[] {
  const { vertexLocation } = config;
  const sources: CredentialSource[] = [
    config.jsonList.length === 0
      ? new FolderSource({ files, defaults, vertexLocation })
      : new JsonListSource({ entries: config.jsonList, defaults, vertexLocation }),
  ];
  if (config.applicationCredentials) {
    sources.push(
      new ApplicationCredentialsSource({
        file: config.applicationCredentials,
        files,
        vertexLocation,
      }),
    );
  }
  sources.push(new ApiKeySource({ geminiKeys: config.apiKeys, vertexKeys: config.vertexApiKeys }));
  if (stored) sources.push(stored);
  return sources;
}
