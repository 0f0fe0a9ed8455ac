import { ArgumentsHost, Catch, ExceptionFilter } from '@nestjs/common';
import type { ServerResponse } from 'node:http';
import { sendAnthropicError } from './anthropic-error-response';

/** Every Messages failure in Anthropic's error shape (see sendAnthropicError). */
@Catch()
export class AnthropicErrorFilter implements ExceptionFilter {
  catch(exception: unknown, host: ArgumentsHost): void {
    sendAnthropicError(host.switchToHttp().getResponse<ServerResponse>(), exception);
  }
}
