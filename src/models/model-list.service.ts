import { Injectable, Logger } from '@nestjs/common';
import { Clock } from '../time/clock';
import { Credential } from '../credentials/credential';
import { CredentialPool } from '../credentials/credential-pool';
import { GEMINI_MODELS, GeminiModel, withVariants } from './model-catalogue';
import { JsonObject } from '../upstream/gemini-types';
import { UpstreamBackends } from '../upstream/upstream-backends';

const LIVE_LIST_TTL_MS = 10 * 60_000;

/**
 * The model catalogue clients see: Google's live list when the pool has an API key, the
 * maintained list of current models for Code Assist and Vertex accounts, each with the proxy's variants.
 */
@Injectable()
export class ModelListService {
  private readonly logger = new Logger('Models');
  private live?: { at: number; models: GeminiModel[] };
  private loading?: Promise<GeminiModel[] | undefined>;

  constructor(
    private readonly pool: CredentialPool,
    private readonly backends: UpstreamBackends,
    private readonly clock: Clock,
  ) {}

  async list(): Promise<GeminiModel[]> {
    const credentials = this.pool.list();
    // Credentials whose API lists no models (Code Assist) are served the maintained list.
    const unlisted = credentials.some((c) => !this.backends.for(c).listModels);
    const live = await this.liveModels();
    const byName = new Map<string, GeminiModel>();
    for (const m of live ?? []) byName.set(m.name, m);
    if (unlisted || !live)
      for (const m of GEMINI_MODELS) if (!byName.has(m.name)) byName.set(m.name, m);
    return withVariants([...byName.values()]);
  }

  async find(id: string): Promise<GeminiModel | undefined> {
    const name = id.startsWith('models/') ? id : `models/${id}`;
    return (await this.list()).find((m) => m.name === name);
  }

  private async liveModels(): Promise<GeminiModel[] | undefined> {
    if (this.live && this.clock.now() - this.live.at < LIVE_LIST_TTL_MS) return this.live.models;
    const lister = this.pool
      .list()
      .find((c) => this.backends.for(c).listModels && !this.pool.isDisabled(c.id));
    if (!lister) return undefined;
    this.loading ??= this.listWith(lister)
      .then((models) => {
        const list = models as unknown as GeminiModel[];
        this.live = { at: this.clock.now(), models: list };
        return list;
      })
      .catch((error: Error) => {
        this.logger.warn(
          `Could not list Google's models (${error.message}); serving the maintained list`,
        );
        return undefined;
      })
      .finally(() => (this.loading = undefined));
    return this.loading;
  }

  private async listWith(credential: Credential): Promise<JsonObject[]> {
    const backend = this.backends.for(credential);
    const signal = AbortSignal.timeout(15_000);
    const session = await backend.open(credential, signal);
    return backend.listModels?.(session.auth, signal) ?? [];
  }
}
