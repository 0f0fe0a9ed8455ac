import { PipeTransform } from '@nestjs/common';
import { ApiError } from '../errors/api-error';
import { MultipartForm } from '../http/multipart-form';

/** The upload routes take only multipart/form-data, which the body guard has parsed by now. */
export class MultipartPipe implements PipeTransform {
  transform(value: unknown): MultipartForm {
    if (value instanceof MultipartForm) return value;
    throw ApiError.badRequest(
      'This route takes a multipart/form-data body (Content-Type: multipart/form-data).',
    );
  }
}
