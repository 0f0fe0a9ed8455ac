import { PipeTransform } from '@nestjs/common';
import { ApiError } from '../errors/api-error';
import type { AnthropicMessagesRequest } from '../translation/anthropic/anthropic-types';
import type { RequestRule } from './dto/messages-request.rules';

/** Checks a Messages body with one rule set and answers a bad one with Anthropic's 400. */
export class AnthropicBodyPipe implements PipeTransform<unknown, AnthropicMessagesRequest> {
  constructor(private readonly rule: RequestRule) {}

  transform(value: unknown): AnthropicMessagesRequest {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw ApiError.badRequest('The request body must be a JSON object.');
    }
    const problem = this.rule(value as Record<string, unknown>);
    if (problem) throw ApiError.badRequest(problem);
    return value as AnthropicMessagesRequest;
  }
}
