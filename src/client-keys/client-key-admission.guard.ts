import { ExecutionContext, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import type { ServerResponse } from 'node:http';
import type { RequestAdmission } from '../auth/request-admission';
import { dialectFor } from '../dialects/dialect-routes';
import { ApiError } from '../errors/api-error';
import { RequestTracker } from '../logging/request-tracker';
import { ModelAliasesService } from '../models/model-aliases.service';
import { narrowModelList } from '../models/model-list-filter';
import { openAIDialect } from '../translation/openai/errors';
import { responsesDialect } from '../translation/responses/errors';
import { ClientKey, describeKey } from './client-key';
import { ClientKeyLimits } from './client-key-limits';
import { ClientKeyRegistry } from './client-key-registry';

const MODEL_LIST = /^\/v1(beta)?\/models\/?$/;
const ONE_MODEL = /^\/v1(beta)?\/models\/([^/:]+)$/;

/**
 * For requests a client key authenticated (the password guard binds it): names the key in the
 * ledger, refuses models outside its list before anything reaches Google, leaves them out of its
 * model lists, and admits the request against its limits. The request guard's last step, after
 * the password and the body (so `model` has been read): a guard step rather than an interceptor,
 * whose rxjs and async-hooks plumbing cost ~6 % of a request's CPU even for the password.
 */
@Injectable()
export class ClientKeyAdmission implements RequestAdmission {
  constructor(
    private readonly registry: ClientKeyRegistry,
    private readonly limits: ClientKeyLimits,
    private readonly tracker: RequestTracker,
    private readonly aliases: ModelAliasesService,
  ) {}

  admit(context: ExecutionContext): void | Promise<void> {
    if (context.getType() !== 'http') return;
    const req = context.switchToHttp().getRequest<Request>();
    const key = this.registry.keyOf(req);
    if (!key) return;
    const res = context.switchToHttp().getResponse<ServerResponse>();
    this.tracker.setClient(res, key.id);
    if (key.allowed) this.checkModel(key, req);
    if (req.method !== 'POST') return;
    return this.limits.admit(key);
  }

  private checkModel(key: ClientKey, req: Request): void {
    if (req.method === 'GET') {
      if (MODEL_LIST.test(req.path)) return narrowModelList(req, (m) => this.allows(key, m));
      const one = ONE_MODEL.exec(req.path);
      if (one && !this.allows(key, decodeURIComponent(one[2])))
        throw ApiError.notFound(`Model ${one[2]} is not available to ${describeKey(key)}.`);
      return;
    }
    if (req.method !== 'POST') return;
    const model = modelOf(req);
    if (model !== undefined && this.allows(key, model)) return;
    const listed = [...(key.allowed ?? [])].join(', ') || 'none';
    const message =
      model === undefined
        ? `This proxy's ${describeKey(key)} may use only its models (${listed}); name one in "model".`
        : `This proxy's ${describeKey(key)} may not use model "${model}"; its models: ${listed}.`;
    throw refusesAsForbidden(req)
      ? new ApiError({ status: 403, kind: 'permission', message, param: 'model' })
      : new ApiError({ status: 404, kind: 'not_found', message, param: 'model' });
  }

  private allows(key: ClientKey, requested: string): boolean {
    const name = requested.startsWith('models/') ? requested.slice(7) : requested;
    const allowed = key.allowed;
    return !allowed || allowed.has(name) || allowed.has(this.aliases.resolve(name));
  }
}

function modelOf(req: Request): string | undefined {
  const model = (req.body as { model?: unknown } | undefined)?.model;
  if (typeof model === 'string' && model !== '') return model;
  const action = (req.params as Record<string, unknown> | undefined)?.modelAction;
  if (typeof action === 'string') return action.split(':')[0];
  return undefined;
}

/** OpenAI answers a model a key may not use with 403; Anthropic and Google an unknown one with 404. */
function refusesAsForbidden(req: Request): boolean {
  const dialect = dialectFor(req);
  return dialect === openAIDialect || dialect === responsesDialect;
}
