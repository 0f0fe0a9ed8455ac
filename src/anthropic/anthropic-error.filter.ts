import { ArgumentsHost, Catch, ExceptionFilter } from '@nestjs/common';
import type { Response } from 'express';
import { sendAnthropicError } from '../http/anthropic-error-response';

/** Every Messages failure in Anthropic's error shape (see sendAnthropicError). */
@Catch()
export class AnthropicErrorFilter implements ExceptionFilter {
  catch(exception: unknown, host: ArgumentsHost): void {
    sendAnthropicError(host.switchToHttp().getResponse<Response>(), exception);
  }
}
