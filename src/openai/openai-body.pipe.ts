import { PipeTransform } from '@nestjs/common';
import { ApiError } from '../errors/api-error';
import type { RequestProblem } from '../errors/request-problem';

/** A route's hand-written rules: the first thing wrong with a body, or undefined. */
export type BodyRule = (body: Record<string, unknown>) => RequestProblem | undefined;

/**
 * Checks a `/v1` body in place with its route's rules and answers a bad one with OpenAI's 400,
 * naming the field in `param`. Unknown fields are tolerated (clients send many we do not use), and
 * the controller receives the parsed body itself: no class instance, no copy. (class-validator
 * and class-transformer did this job before, at about 8 % of a chat request's CPU.)
 */
export class OpenAIBodyPipe implements PipeTransform {
  constructor(private readonly rule: BodyRule) {}

  transform(value: unknown): unknown {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw ApiError.badRequest('The request body must be a JSON object.');
    }
    const problem = this.rule(value as Record<string, unknown>);
    if (problem) {
      throw new ApiError({
        status: 400,
        kind: 'invalid_request',
        message: problem.message,
        param: problem.param || undefined,
        code: problem.code,
      });
    }
    return value;
  }
}
