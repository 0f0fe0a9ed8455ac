import type { Exchange } from './exchange';
import { answerGenerate, framingFor, parseGenerateRequest } from './generation';
import { apiKeyInvalid, errorInfo, googleError, UNAUTHENTICATED_HEADERS } from './google-errors';
import { supports } from './model-catalog';
import { countRequestWords, embed, textOf } from './model-replies';
import type { Route, RouteDeps, RouteTable } from './route';
import { applyFault } from './script';
import { isRecord, type CallContext } from './types';

/** `projects/{p}/locations/{l}/publishers/google/models/{model}:{action}` with a bearer token. */
const PROJECT_PATH =
  /^\/v1\/projects\/([^/]+)\/locations\/([^/]+)\/publishers\/google\/models\/([^/:]+):([A-Za-z]+)$/;
/** Express mode: the global `publishers/google/models/{model}:{action}` with a key. */
const EXPRESS_PATH = /^\/v1\/publishers\/google\/models\/([^/:]+):([A-Za-z]+)$/;

const GENERATE_ACTIONS = new Set(['generateContent', 'streamGenerateContent', 'countTokens']);
const EMBED_ACTIONS = new Set(['predict', 'embedContent']);
const DEFAULT_DIMENSIONS = 8;

interface VertexCall {
  call: CallContext;
  model: string;
  action: string;
}

/**
 * Vertex AI's publisher models: service accounts on the project/location routes (their token
 * must belong to the project in the path) and express-mode keys on the global routes, which
 * serve generate, stream and count only.
 */
export class VertexRoutes implements RouteTable {
  constructor(private readonly deps: RouteDeps) {}

  match(method: string, path: string): Route | undefined {
    if (method !== 'POST') return undefined;
    const project = PROJECT_PATH.exec(path);
    if (project) {
      const [, projectId, location, model, action] = project.map((p) => decodeURIComponent(p));
      if (!GENERATE_ACTIONS.has(action) && !EMBED_ACTIONS.has(action)) return undefined;
      return {
        api: 'vertex',
        action,
        run: async (ex) => {
          const call = this.admitServiceAccount(ex, { projectId, location, model, action });
          if (call && (await applyFault(ex, this.deps.script, call.call)))
            await this.post(ex, call);
        },
      };
    }
    const express = EXPRESS_PATH.exec(path);
    if (express) {
      const [, model, action] = express.map((p) => decodeURIComponent(p));
      return {
        api: 'vertex',
        action,
        run: async (ex) => {
          const call = this.admitExpress(ex, model, action);
          if (call && (await applyFault(ex, this.deps.script, call.call)))
            await this.post(ex, call);
        },
      };
    }
    return undefined;
  }

  private admitServiceAccount(
    ex: Exchange,
    target: { projectId: string; location: string; model: string; action: string },
  ): VertexCall | undefined {
    const account = this.deps.serviceAccounts.fromAuthorization(ex.req.headers.authorization);
    const call: CallContext = {
      api: 'vertex',
      action: target.action,
      model: target.model,
      credential: account?.email,
    };
    ex.record(call);
    if (!account) {
      ex.json(401, googleError(401), { ...UNAUTHENTICATED_HEADERS });
      return undefined;
    }
    if (account.projectId !== target.projectId) {
      const resource = `projects/${target.projectId}/locations/${target.location}/publishers/google/models/${target.model}`;
      ex.json(
        403,
        googleError(
          403,
          `Permission 'aiplatform.endpoints.predict' denied on resource '//aiplatform.googleapis.com/${resource}' (or it may not exist).`,
          [
            errorInfo('IAM_PERMISSION_DENIED', 'aiplatform.googleapis.com', {
              permission: 'aiplatform.endpoints.predict',
              resource,
            }),
          ],
        ),
      );
      return undefined;
    }
    return { call, model: target.model, action: target.action };
  }

  private admitExpress(ex: Exchange, model: string, action: string): VertexCall | undefined {
    const header = ex.req.headers['x-goog-api-key'];
    const key = typeof header === 'string' && header !== '' ? header : ex.query.key;
    const call: CallContext = { api: 'vertex', action, model, credential: key };
    ex.record(call);
    if (!key) {
      ex.json(401, googleError(401), { ...UNAUTHENTICATED_HEADERS });
      return undefined;
    }
    if (!this.deps.serviceAccounts.hasExpressKey(key)) {
      ex.json(400, apiKeyInvalid());
      return undefined;
    }
    if (!GENERATE_ACTIONS.has(action)) {
      ex.error(404, `Express mode does not serve ${action}.`);
      return undefined;
    }
    return { call, model, action };
  }

  private async post(ex: Exchange, { call, model, action }: VertexCall): Promise<void> {
    const body = isRecord(ex.body) ? ex.body : {};
    if (GENERATE_ACTIONS.has(action)) {
      if (!supports(model, 'generateContent')) return notFound(ex, model);
      const roleProblem = missingRole(body);
      if (roleProblem) return ex.error(400, roleProblem);
      if (action === 'countTokens') {
        const totalTokens = countRequestWords(body);
        return ex.json(200, { totalTokens, totalBillableCharacters: totalTokens * 4 });
      }
      const request = parseGenerateRequest(body);
      if (typeof request === 'string') return ex.error(400, request);
      return answerGenerate(ex, this.deps, {
        call,
        model,
        request: request,
        stream: action === 'streamGenerateContent',
        framing: framingFor(ex.query),
        wrap: (response) => ({ ...response, createTime: new Date().toISOString() }),
      });
    }
    if (action === 'predict') return predict(ex, model, body);
    return embedContent(ex, model, body);
  }
}

/** Vertex's `:predict` for the text-embedding models and gemini-embedding-001 (one instance only). */
function predict(ex: Exchange, model: string, body: Record<string, unknown>): void {
  if (model !== 'gemini-embedding-001' && !/^text-(multilingual-)?embedding-/.test(model)) {
    return notFound(ex, model);
  }
  const instances = Array.isArray(body.instances) ? body.instances : [];
  if (instances.length === 0) return ex.error(400, 'instances is required.');
  if (model.startsWith('gemini-') && instances.length > 1) {
    return ex.error(
      400,
      'Unable to submit request because the model supports only 1 instance per request.',
    );
  }
  const parameters = isRecord(body.parameters) ? body.parameters : {};
  const dims = dimensions(parameters.outputDimensionality);
  if (dims === undefined) return ex.error(400, 'outputDimensionality must be a positive integer.');
  const predictions = [];
  for (const instance of instances) {
    if (!isRecord(instance) || typeof instance.content !== 'string') {
      return ex.error(400, 'Each instance needs a "content" string.');
    }
    const values = embed(instance.content, dims);
    predictions.push({
      embeddings: { values, statistics: { token_count: values.length, truncated: false } },
    });
  }
  ex.json(200, { predictions, metadata: { billableCharacterCount: 1 } });
}

/** Vertex's `:embedContent` for the newer Gemini embedding models: one Content per call. */
function embedContent(ex: Exchange, model: string, body: Record<string, unknown>): void {
  if (!/^gemini-embedding-/.test(model) || model === 'gemini-embedding-001') {
    return notFound(ex, model);
  }
  if (!isRecord(body.content) || !Array.isArray(body.content.parts)) {
    return ex.error(400, 'content is required.');
  }
  const dims = dimensions(body.outputDimensionality);
  if (dims === undefined) return ex.error(400, 'outputDimensionality must be a positive integer.');
  ex.json(200, {
    embedding: { values: embed(textOf(body.content), dims) },
    usageMetadata: { promptTokenCount: 1 },
    truncated: false,
  });
}

function dimensions(value: unknown): number | undefined {
  if (value === undefined) return DEFAULT_DIMENSIONS;
  return typeof value === 'number' && Number.isInteger(value) && value > 0 && value <= 3072
    ? value
    : undefined;
}

/** Vertex, unlike the Gemini API, refuses a content without its role. */
function missingRole(body: Record<string, unknown>): string | undefined {
  const contents = Array.isArray(body.contents) ? body.contents : [];
  const bad = contents.some((c) => !isRecord(c) || (c.role !== 'user' && c.role !== 'model'));
  return bad ? 'Please use a valid role: user, model.' : undefined;
}

function notFound(ex: Exchange, model: string): void {
  ex.error(
    404,
    `Publisher Model \`publishers/google/models/${model}\` was not found or your project does not have access to it.`,
  );
}
