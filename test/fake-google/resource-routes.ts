import type { Exchange } from './exchange';
import { FakeResources } from './fake-resources';
import { apiKeyInvalid } from './google-errors';
import type { Route, RouteDeps, RouteTable } from './route';
import { isRecord } from './types';

type Json = Record<string, unknown>;
type Handler = (ex: Exchange, key: string) => void;

/**
 * Google's stateful resources on the Gemini API: the Files API (resumable, multipart and media
 * uploads), cached contents, batches and the Interactions API, each in the project of the key
 * that created it.
 */
export class ResourceRoutes implements RouteTable {
  constructor(
    private readonly deps: RouteDeps & { resources: FakeResources; origin: () => string },
  ) {}

  private get store(): FakeResources {
    return this.deps.resources;
  }

  match(method: string, path: string): Route | undefined {
    if (path === '/upload/v1beta/files' && method === 'POST') {
      return { api: 'gemini', action: 'uploadFile', raw: true, run: (ex) => this.upload(ex) };
    }
    const m =
      /^\/v1beta\/(files|cachedContents|batches|interactions)(?:\/([^/:]+))?(?::(\w+)|\/(cancel))?$/.exec(
        path,
      );
    if (m) {
      const [, collection, id, colonAction, slashAction] = m;
      const action = colonAction ?? slashAction;
      const name = id ? `${collection}/${id}` : undefined;
      return this.resourceRoute(method, collection, name, action);
    }
    const batch = /^\/v1beta\/models\/([^/:]+):batchGenerateContent$/.exec(path);
    if (batch && method === 'POST') {
      return this.route('batchGenerateContent', (ex, key) => this.createBatch(ex, key, batch[1]));
    }
    return undefined;
  }

  private resourceRoute(
    method: string,
    collection: string,
    name: string | undefined,
    action: string | undefined,
  ): Route | undefined {
    const map = this.mapFor(collection);
    if (!name) {
      if (method === 'GET' && collection !== 'interactions') {
        return this.route(`list:${collection}`, (ex, key) => this.list(ex, key, collection, map));
      }
      if (method === 'POST' && collection === 'cachedContents')
        return this.route('createCachedContent', (ex, key) => this.createCache(ex, key));
      if (method === 'POST' && collection === 'interactions')
        return this.route('createInteraction', (ex, key) => this.createInteraction(ex, key));
      return undefined;
    }
    const owned = (ex: Exchange, key: string, then: (value: Json) => void) => {
      const entry = map.get(name);
      if (!entry || entry.owner !== key) return this.denied(ex, collection, name);
      then(entry.value);
    };
    if (method === 'GET')
      return this.route(`get:${collection}`, (ex, key) => owned(ex, key, (v) => ex.json(200, v)));
    if (method === 'DELETE') {
      return this.route(`delete:${collection}`, (ex, key) =>
        owned(ex, key, () => (map.delete(name), ex.json(200, {}))),
      );
    }
    if (method === 'PATCH' && collection === 'cachedContents') {
      return this.route('patchCachedContent', (ex, key) =>
        owned(ex, key, (v) => {
          const ttl =
            isRecord(ex.body) && typeof ex.body.ttl === 'string' ? parseFloat(ex.body.ttl) : 3600;
          v.expireTime = new Date(Date.now() + ttl * 1000).toISOString();
          v.updateTime = new Date().toISOString();
          ex.json(200, v);
        }),
      );
    }
    if (method === 'POST' && action === 'cancel') {
      return this.route(`cancel:${collection}`, (ex, key) =>
        owned(ex, key, () => ex.json(200, {})),
      );
    }
    return undefined;
  }

  private mapFor(collection: string) {
    switch (collection) {
      case 'files':
        return this.store.files;
      case 'cachedContents':
        return this.store.caches;
      case 'batches':
        return this.store.batches;
      default:
        return this.store.interactions;
    }
  }

  private route(action: string, handle: Handler): Route {
    return {
      api: 'gemini',
      action,
      run: (ex) => {
        const key = this.admit(ex, action);
        if (key) handle(ex, key);
        return Promise.resolve();
      },
    };
  }

  private admit(ex: Exchange, action: string): string | undefined {
    const header = ex.req.headers['x-goog-api-key'];
    const key = typeof header === 'string' && header !== '' ? header : ex.query.key;
    ex.record({ action, credential: key });
    if (!key) {
      ex.error(
        403,
        "Method doesn't allow unregistered callers (callers without established identity).",
      );
      return undefined;
    }
    if (!this.deps.accounts.hasApiKey(key)) {
      ex.json(400, apiKeyInvalid());
      return undefined;
    }
    return key;
  }

  private denied(ex: Exchange, collection: string, name: string): void {
    if (collection === 'files') {
      return ex.error(
        403,
        `You do not have permission to access the File ${name.slice(6)} or it may not exist.`,
      );
    }
    if (collection === 'cachedContents')
      return ex.error(403, 'CachedContent not found (or permission denied)');
    ex.error(404, `${name} not found.`);
  }

  private list(
    ex: Exchange,
    key: string,
    collection: string,
    map: Map<string, { owner: string; value: Json }>,
  ): void {
    const mine = [...map.values()].filter((e) => e.owner === key).map((e) => e.value);
    const size = Number(ex.query.pageSize ?? 10) || 10;
    const offset = ex.query.pageToken
      ? Number(Buffer.from(ex.query.pageToken, 'base64url').toString())
      : 0;
    const page = mine.slice(offset, offset + size);
    const field = collection === 'batches' ? 'operations' : collection;
    const next =
      offset + size < mine.length
        ? Buffer.from(String(offset + size)).toString('base64url')
        : undefined;
    ex.json(200, {
      ...(page.length ? { [field]: page } : {}),
      ...(next ? { nextPageToken: next } : {}),
    });
  }

  private upload(ex: Exchange): Promise<void> {
    const sessionId = ex.query.upload_id;
    if (sessionId) return Promise.resolve(this.uploadChunk(ex, sessionId));
    const key = this.admit(ex, 'uploadFile');
    if (!key) return Promise.resolve();
    const protocol = String(ex.req.headers['x-goog-upload-protocol'] ?? ex.query.uploadType ?? '');
    const raw = ex.raw ?? Buffer.alloc(0);
    if (protocol === 'resumable') {
      if (ex.req.headers['x-goog-upload-command'] !== 'start')
        return Promise.resolve(ex.error(400, 'Expected the start command.'));
      const meta = parseJson(raw);
      const file = isRecord(meta?.file) ? meta.file : {};
      const id = FakeResources.id();
      this.store.uploads.set(id, {
        owner: key,
        received: 0,
        size: Number(ex.req.headers['x-goog-upload-header-content-length'] ?? 0),
        mimeType: String(
          ex.req.headers['x-goog-upload-header-content-type'] ?? 'application/octet-stream',
        ),
        displayName: stringField(file, 'displayName') ?? stringField(file, 'display_name'),
      });
      ex.res.setHeader(
        'x-goog-upload-url',
        `${this.deps.origin()}/upload/v1beta/files?upload_id=${id}&upload_protocol=resumable`,
      );
      ex.res.setHeader('x-goog-upload-status', 'active');
      ex.res.setHeader('x-goog-upload-chunk-granularity', '8388608');
      ex.end();
      return Promise.resolve();
    }
    if (protocol === 'multipart') {
      const parts = multipartParts(raw, String(ex.req.headers['content-type'] ?? ''));
      if (!parts) return Promise.resolve(ex.error(400, 'Malformed multipart body.'));
      const meta = parseJson(parts[0].body);
      const file = isRecord(meta?.file) ? meta.file : {};
      const made = this.store.makeFile(
        key,
        this.deps.origin(),
        parts[1].body.length,
        parts[1].type ?? 'application/octet-stream',
        stringField(file, 'displayName'),
      );
      ex.json(200, { file: made });
      return Promise.resolve();
    }
    const made = this.store.makeFile(
      key,
      this.deps.origin(),
      raw.length,
      String(ex.req.headers['content-type'] ?? 'application/octet-stream'),
    );
    ex.json(200, { file: made });
    return Promise.resolve();
  }

  /** Google's session URL needs no key: the upload id is the capability. */
  private uploadChunk(ex: Exchange, id: string): void {
    ex.record({
      action: 'uploadChunk',
      credential: String(ex.req.headers['x-goog-api-key'] ?? ''),
    });
    const session = this.store.uploads.get(id);
    if (!session) return ex.error(404, 'No such upload session.');
    const command = String(ex.req.headers['x-goog-upload-command'] ?? '');
    const offset = Number(ex.req.headers['x-goog-upload-offset'] ?? -1);
    const raw = ex.raw ?? Buffer.alloc(0);
    if (command.includes('upload')) {
      if (offset !== session.received)
        return ex.error(400, `Invalid offset ${offset}; expected ${session.received}.`);
      session.received += raw.length;
    }
    if (command.includes('finalize')) {
      this.store.uploads.delete(id);
      const file = this.store.makeFile(
        session.owner,
        this.deps.origin(),
        session.received,
        session.mimeType,
        session.displayName,
      );
      ex.json(200, { file }, { 'x-goog-upload-status': 'final' });
      return;
    }
    ex.res.setHeader('x-goog-upload-status', 'active');
    ex.res.setHeader('x-goog-upload-size-received', String(session.received));
    ex.end();
  }

  private createCache(ex: Exchange, key: string): void {
    const body = isRecord(ex.body) ? ex.body : {};
    const problem = this.store.generateProblem(key, body);
    if (problem) return ex.error(problem.status, problem.message);
    if (typeof body.model !== 'string')
      return ex.error(
        400,
        '* CreateCachedContentRequest.cached_content.model: model is required\n',
      );
    const id = FakeResources.id();
    const ttl = typeof body.ttl === 'string' ? parseFloat(body.ttl) : 3600;
    const now = new Date();
    const cache: Json = {
      name: `cachedContents/${id}`,
      model: body.model,
      ...(typeof body.displayName === 'string' ? { displayName: body.displayName } : {}),
      createTime: now.toISOString(),
      updateTime: now.toISOString(),
      expireTime: new Date(now.getTime() + ttl * 1000).toISOString(),
      usageMetadata: { totalTokenCount: 4096 },
    };
    this.store.caches.set(cache.name as string, { owner: key, value: cache });
    ex.json(200, cache);
  }

  private createBatch(ex: Exchange, key: string, model: string): void {
    const body = isRecord(ex.body) ? ex.body : {};
    const unknown = Object.keys(body).find((k) => k !== 'batch');
    if (unknown) {
      return ex.error(
        400,
        `Invalid JSON payload received. Unknown name "${unknown}": Cannot find field.`,
      );
    }
    const batch = isRecord(body.batch) ? body.batch : {};
    const input = isRecord(batch.inputConfig)
      ? batch.inputConfig
      : isRecord(batch.input_config)
        ? batch.input_config
        : {};
    const requests =
      isRecord(input.requests) && Array.isArray(input.requests.requests)
        ? input.requests.requests
        : [];
    const id = FakeResources.id();
    const now = new Date().toISOString();
    const responses = requests.map(() => ({
      response: {
        candidates: [
          { content: { role: 'model', parts: [{ text: 'batched' }] }, finishReason: 'STOP' },
        ],
      },
    }));
    const metadata = {
      '@type': 'type.googleapis.com/google.ai.generativelanguage.v1main.GenerateContentBatch',
      model: `models/${model}`,
      displayName: batch.displayName ?? batch.display_name,
      createTime: now,
      updateTime: now,
      state: 'BATCH_STATE_PENDING',
      name: `batches/${id}`,
      batchStats: {
        requestCount: String(requests.length),
        pendingRequestCount: String(requests.length),
      },
    };
    const operation: Json = { name: `batches/${id}`, metadata, done: false };
    this.store.batches.set(`batches/${id}`, {
      owner: key,
      value: {
        ...operation,
        done: true,
        metadata: { ...metadata, state: 'BATCH_STATE_SUCCEEDED' },
        response: {
          '@type':
            'type.googleapis.com/google.ai.generativelanguage.v1main.GenerateContentBatchOutput',
          inlinedResponses: { inlinedResponses: responses },
        },
      },
    });
    ex.json(200, operation);
  }

  private createInteraction(ex: Exchange, key: string): void {
    const body = isRecord(ex.body) ? ex.body : {};
    const previous =
      typeof body.previous_interaction_id === 'string' ? body.previous_interaction_id : undefined;
    if (previous && this.store.interactions.get(`interactions/${previous}`)?.owner !== key) {
      return ex.error(404, `Interaction ${previous} not found.`);
    }
    const id = `v1_${FakeResources.id()}`;
    const turn = previous
      ? Number(
          (this.store.interactions.get(`interactions/${previous}`)?.value.turn as
            number | undefined) ?? 1,
        ) + 1
      : 1;
    const text = `Interaction turn ${turn} from ${String(body.model ?? body.agent)}`;
    const now = new Date().toISOString();
    const interaction: Json = {
      id,
      model: body.model,
      status: 'completed',
      created: now,
      updated: now,
      ...(previous ? { previous_interaction_id: previous } : {}),
      steps: [{ type: 'model_output', content: [{ type: 'text', text }] }],
      usage: { total_input_tokens: 4, total_output_tokens: 5, total_tokens: 9 },
    };
    if (body.store !== false)
      this.store.interactions.set(`interactions/${id}`, {
        owner: key,
        value: { ...interaction, turn },
      });
    if (body.stream !== true) return ex.json(200, interaction);
    ex.startStream('text/event-stream');
    const events = [
      {
        event_type: 'interaction.created',
        interaction: { id, model: body.model, status: 'in_progress', created: now },
      },
      { event_type: 'step.start', index: 0, step: { type: 'model_output' } },
      { event_type: 'step.delta', index: 0, delta: { type: 'text', text } },
      { event_type: 'step.stop', index: 0 },
      { event_type: 'interaction.completed', interaction },
    ];
    for (const event of events)
      ex.write(`event: ${event.event_type}\ndata: ${JSON.stringify(event)}\n\n`);
    ex.end('data: [DONE]\n\n');
  }
}

function parseJson(raw: Buffer): Json | undefined {
  try {
    const value = JSON.parse(raw.toString('utf8')) as unknown;
    return isRecord(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

function stringField(record: Json, key: string): string | undefined {
  return typeof record[key] === 'string' ? record[key] : undefined;
}

/** The parts of a `multipart/related` body: headers' content type and the bytes. */
function multipartParts(
  raw: Buffer,
  contentType: string,
): { type?: string; body: Buffer }[] | undefined {
  const boundary = /boundary="?([^";]+)"?/.exec(contentType)?.[1];
  if (!boundary) return undefined;
  const text = raw.toString('latin1');
  const pieces = text.split(`--${boundary}`).slice(1, -1);
  const parts = pieces.map((piece) => {
    const split = piece.indexOf('\r\n\r\n');
    const head = piece.slice(0, split);
    const body = piece.slice(split + 4).replace(/\r\n$/, '');
    return {
      type: /content-type:\s*([^\r\n]+)/i.exec(head)?.[1],
      body: Buffer.from(body, 'latin1'),
    };
  });
  return parts.length >= 2 ? parts : undefined;
}
