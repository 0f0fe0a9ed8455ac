import type { Exchange } from './exchange';
import { answerGenerate, framingFor, parseGenerateRequest } from './generation';
import { apiKeyInvalid, googleError } from './google-errors';
import { findModel, MODELS, supports } from './model-catalog';
import { countRequestWords, embed, textOf } from './model-replies';
import type { Answer, Route, RouteDeps, RouteTable } from './route';
import { applyFault } from './script';
import { bareModel, isRecord, type CallContext, type GeminiResponse } from './types';

const PREFIX = '/v1beta/models';
const POST_ACTIONS = new Set([
  'generateContent',
  'streamGenerateContent',
  'countTokens',
  'embedContent',
  'batchEmbedContents',
]);
const DEFAULT_PAGE_SIZE = 50;
const DEFAULT_DIMENSIONS = 8;

/** The Gemini API (generativelanguage, v1beta) with API keys registered on the fake. */
export class GeminiApiRoutes implements RouteTable {
  constructor(private readonly deps: RouteDeps) {}

  match(method: string, path: string): Route | undefined {
    if (!path.startsWith(PREFIX)) return undefined;
    const rest = path.slice(PREFIX.length);
    if (method === 'GET' && (rest === '' || rest === '/')) {
      return this.route('listModels', undefined, (ex) => send(ex, listModels(ex.query)));
    }
    if (!rest.startsWith('/')) return undefined;
    const tail = decodeURIComponent(rest.slice(1));
    const colon = tail.lastIndexOf(':');
    if (method === 'GET' && colon < 0 && tail !== '') {
      return this.route('getModel', tail, (ex) => send(ex, getModel(tail)));
    }
    if (method !== 'POST' || colon <= 0) return undefined;
    const model = tail.slice(0, colon);
    const action = tail.slice(colon + 1);
    if (!POST_ACTIONS.has(action)) return undefined;
    return this.route(action, model, (ex, call) => this.post(ex, call, model, action));
  }

  private route(
    action: string,
    model: string | undefined,
    handle: (ex: Exchange, call: CallContext) => void | Promise<void>,
  ): Route {
    return {
      api: 'gemini',
      action,
      run: async (ex) => {
        const call = this.admit(ex, action, model);
        if (call && (await applyFault(ex, this.deps.script, call))) await handle(ex, call);
      },
    };
  }

  /** Records the call and checks its key the way Google does; the call when the key is good. */
  private admit(ex: Exchange, action: string, model: string | undefined) {
    const header = ex.req.headers['x-goog-api-key'];
    const key = typeof header === 'string' && header !== '' ? header : ex.query.key;
    const call: CallContext = { api: 'gemini', action, model, credential: key };
    ex.record(call);
    if (!key) {
      ex.error(
        403,
        "Method doesn't allow unregistered callers (callers without established identity). Please use API Key or other form of API consumer identity to call this API.",
      );
      return undefined;
    }
    if (!this.deps.accounts.hasApiKey(key)) {
      ex.json(400, apiKeyInvalid());
      return undefined;
    }
    return call;
  }

  private async post(ex: Exchange, call: CallContext, model: string, action: string) {
    const body = isRecord(ex.body) ? ex.body : {};
    if (!supports(model, action)) {
      return ex.error(
        404,
        `models/${model} is not found for API version v1beta, or is not supported for ${action}. Call ListModels to see the list of available models and their supported methods.`,
      );
    }
    switch (action) {
      case 'generateContent':
      case 'streamGenerateContent': {
        const denied =
          call.credential && this.deps.resources?.generateProblem(call.credential, body);
        if (denied) return ex.error(denied.status, denied.message);
        const request = parseGenerateRequest(body);
        if (typeof request === 'string') return ex.error(400, request);
        const key = call.credential ?? '';
        const refusal = this.deps.quotas.admit(key, model, request);
        if (refusal) return ex.json(429, refusal);
        const cached = this.deps.quotas.cachedTokens(key, model, request);
        return answerGenerate(ex, this.deps, {
          call,
          model,
          request,
          stream: action === 'streamGenerateContent',
          framing: framingFor(ex.query),
          wrap: (response) => (cached > 0 ? withCachedTokens(response, cached) : response),
        });
      }
      case 'countTokens':
        return send(ex, countTokens(body));
      case 'embedContent':
        return send(ex, embedContent(body));
      case 'batchEmbedContents':
        return send(ex, batchEmbedContents(body, model));
    }
  }
}

/** Implicit caching: the repeated opening's tokens, reported the way Google does. */
function withCachedTokens(response: GeminiResponse, cached: number): GeminiResponse {
  if (!response.usageMetadata) return response;
  return {
    ...response,
    usageMetadata: { ...response.usageMetadata, cachedContentTokenCount: cached },
  };
}

function countTokens(body: Record<string, unknown>): Answer {
  const source = isRecord(body.generateContentRequest) ? body.generateContentRequest : body;
  if (!Array.isArray(source.contents)) {
    return invalid('* CountTokensRequest: contents or generateContentRequest is required\n');
  }
  const totalTokens = countRequestWords(source);
  return ok({ totalTokens, promptTokensDetails: [{ modality: 'TEXT', tokenCount: totalTokens }] });
}

function embedContent(body: Record<string, unknown>): Answer {
  const values = embedding(body, 'EmbedContentRequest');
  return typeof values === 'string' ? invalid(values) : ok({ embedding: { values } });
}

function batchEmbedContents(body: Record<string, unknown>, model: string): Answer {
  const requests = body.requests;
  if (!Array.isArray(requests) || requests.length === 0) {
    return invalid('* BatchEmbedContentsRequest.requests: requests is not specified\n');
  }
  const embeddings: { values: number[] }[] = [];
  for (const [i, request] of requests.entries()) {
    const where = `BatchEmbedContentsRequest.requests[${i}]`;
    if (!isRecord(request)) return invalid(`* ${where}: must be an object\n`);
    if (request.model !== `models/${model}`) {
      return invalid(`* ${where}.model: must be models/${model}, the model in the URL\n`);
    }
    const values = embedding(request, where);
    if (typeof values === 'string') return invalid(values);
    embeddings.push({ values });
  }
  return ok({ embeddings });
}

/** The vector for one `{content, outputDimensionality?}`, or why the request is invalid. */
function embedding(request: Record<string, unknown>, where: string): number[] | string {
  if (!isRecord(request.content) || !Array.isArray(request.content.parts)) {
    return `* ${where}.content: content is not specified\n`;
  }
  const dims = request.outputDimensionality ?? DEFAULT_DIMENSIONS;
  if (typeof dims !== 'number' || !Number.isInteger(dims) || dims < 1 || dims > 3072) {
    return `* ${where}.output_dimensionality: must be an integer between 1 and 3072\n`;
  }
  return embed(textOf(request.content), dims);
}

function listModels(query: Record<string, string>): Answer {
  const pageSize = query.pageSize === undefined ? DEFAULT_PAGE_SIZE : Number(query.pageSize);
  if (!Number.isInteger(pageSize) || pageSize < 0) return invalid('Invalid page size.');
  const offset = query.pageToken ? decodePageToken(query.pageToken) : 0;
  if (offset === undefined) return invalid('Invalid page token.');
  const size = Math.min(pageSize || DEFAULT_PAGE_SIZE, 1000);
  const end = offset + size;
  return ok({
    models: MODELS.slice(offset, end),
    ...(end < MODELS.length ? { nextPageToken: encodePageToken(end) } : {}),
  });
}

function getModel(name: string): Answer {
  const model = findModel(bareModel(name));
  if (model) return ok(model);
  return {
    status: 404,
    body: googleError(404, `models/${bareModel(name)} is not found for API version v1beta`),
  };
}

function encodePageToken(offset: number): string {
  return Buffer.from(`offset:${offset}`).toString('base64url');
}

function decodePageToken(token: string): number | undefined {
  const match = /^offset:(\d+)$/.exec(Buffer.from(token, 'base64url').toString());
  return match ? Number(match[1]) : undefined;
}

function ok(body: unknown): Answer {
  return { status: 200, body };
}

function invalid(message: string): Answer {
  return { status: 400, body: googleError(400, message) };
}

function send(ex: Exchange, answer: Answer): void {
  ex.json(answer.status, answer.body);
}
