import type { Account } from './accounts';
import type { Exchange } from './exchange';
import { answerGenerate, framingFor, parseGenerateRequest } from './generation';
import { googleError, UNAUTHENTICATED_HEADERS } from './google-errors';
import { uniqueId } from './ids';
import { supports } from './model-catalog';
import { countRequestWords } from './model-replies';
import { Onboarding } from './onboarding';
import type { Answer, Route, RouteDeps, RouteTable } from './route';
import { applyFault } from './script';
import { bareModel, isRecord, type CallContext } from './types';

const METHOD_PREFIX = '/v1internal:';
const OPERATION_PREFIX = '/v1internal/operations/';
const POST_METHODS = new Set([
  'generateContent',
  'streamGenerateContent',
  'countTokens',
  'loadCodeAssist',
  'onboardUser',
  'retrieveUserQuota',
]);

/** Google's Code Assist API (cloudcode-pa, v1internal): Bearer tokens from this fake only. */
export class CodeAssistRoutes implements RouteTable {
  private readonly onboarding: Onboarding;

  constructor(private readonly deps: RouteDeps) {
    this.onboarding = new Onboarding(deps.accounts);
  }

  match(method: string, path: string): Route | undefined {
    if (method === 'POST' && path.startsWith(METHOD_PREFIX)) {
      const action = path.slice(METHOD_PREFIX.length);
      if (!POST_METHODS.has(action)) return undefined;
      return { api: 'code-assist', action, run: (ex) => this.post(ex, action) };
    }
    if (method === 'GET' && path.startsWith(OPERATION_PREFIX)) {
      const name = decodeURIComponent(path.slice('/v1internal/'.length));
      return { api: 'code-assist', action: 'getOperation', run: (ex) => this.poll(ex, name) };
    }
    return undefined;
  }

  private async post(ex: Exchange, action: string): Promise<void> {
    const body = isRecord(ex.body) ? ex.body : {};
    const account = await this.admit(ex, action, modelOf(action, body));
    if (!account) return;
    switch (action) {
      case 'generateContent':
      case 'streamGenerateContent':
        return this.generate(ex, account, body, action);
      case 'countTokens':
        return send(ex, countTokens(body));
      case 'loadCodeAssist':
        return send(ex, this.onboarding.load(account, body));
      case 'onboardUser':
        return send(ex, this.onboarding.onboard(account, body));
      case 'retrieveUserQuota':
        return send(ex, {
          status: 200,
          body: { buckets: this.deps.quotas.userQuota.get(account.email) ?? [] },
        });
    }
  }

  private async poll(ex: Exchange, name: string): Promise<void> {
    const account = await this.admit(ex, 'getOperation', undefined);
    if (account) send(ex, this.onboarding.poll(account, name));
  }

  /** Records the call, checks its token and runs any fault; the account when the route goes on. */
  private async admit(ex: Exchange, action: string, model: string | undefined) {
    const account = this.deps.accounts.fromAuthorization(ex.req.headers.authorization);
    const call: CallContext = { api: 'code-assist', action, model, credential: account?.email };
    ex.record(call);
    if (!account) {
      ex.json(401, googleError(401), UNAUTHENTICATED_HEADERS);
      return undefined;
    }
    return (await applyFault(ex, this.deps.script, call)) ? account : undefined;
  }

  private async generate(
    ex: Exchange,
    account: Account,
    body: Record<string, unknown>,
    action: string,
  ): Promise<void> {
    const request = parseGenerateRequest(body.request);
    if (typeof request === 'string') return ex.error(400, request);
    const denial = this.onboarding.projectDenial(account, body.project);
    if (denial) return send(ex, denial);
    const model = modelOf(action, body);
    if (!model) return ex.error(400, '* model: model is required\n');
    if (!supports(model, action)) return ex.error(404);
    const traceId = uniqueId();
    await answerGenerate(ex, this.deps, {
      call: { api: 'code-assist', action, model, credential: account.email },
      model,
      request,
      stream: action === 'streamGenerateContent',
      framing: framingFor(ex.query),
      // A scripted `{error}` element is how Google reports a failure mid-stream: sent unwrapped.
      wrap: (response) => ('error' in response ? response : { response, traceId }),
    });
  }
}

function countTokens(body: Record<string, unknown>): Answer {
  const request = body.request;
  if (!isRecord(request) || !Array.isArray(request.contents)) {
    return {
      status: 400,
      body: googleError(400, '* request.contents: contents is not specified\n'),
    };
  }
  const model = typeof request.model === 'string' ? bareModel(request.model) : '';
  if (!supports(model, 'countTokens')) return { status: 404, body: googleError(404) };
  return { status: 200, body: { totalTokens: countRequestWords(request) } };
}

/** The model a call names: the envelope's for generate calls, the inner request's for countTokens. */
function modelOf(action: string, body: Record<string, unknown>): string | undefined {
  const source = action === 'countTokens' && isRecord(body.request) ? body.request : body;
  return typeof source.model === 'string' ? bareModel(source.model) : undefined;
}

function send(ex: Exchange, answer: Answer): void {
  ex.json(answer.status, answer.body);
}
