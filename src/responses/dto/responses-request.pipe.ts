import { PipeTransform } from '@nestjs/common';
import { ApiError } from '../../errors/api-error';
import type { ResponseCreateRequest } from '../../translation/responses/responses-types';
import { findCreateProblem } from './response-create-rules';

/**
 * Checks a `/v1/responses` body in place with the hand-written rules (agent bodies run to tens of
 * kilobytes; no copy is made) and answers a bad one with OpenAI's 400 naming the field.
 */
export class ResponsesRequestPipe implements PipeTransform<unknown, ResponseCreateRequest> {
  transform(value: unknown): ResponseCreateRequest {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw ApiError.badRequest('The request body must be a JSON object.');
    }
    const problem = findCreateProblem(value as Record<string, unknown>);
    if (problem) {
      throw new ApiError({
        status: 400,
        kind: 'invalid_request',
        message: problem.message,
        param: problem.param,
        code: problem.code,
      });
    }
    return value as ResponseCreateRequest;
  }
}
