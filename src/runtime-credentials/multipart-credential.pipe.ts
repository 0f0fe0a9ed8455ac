import { Injectable, PipeTransform } from '@nestjs/common';
import { ApiError } from '../errors/api-error';
import { MultipartForm } from '../http/multipart-form';

/**
 * A multipart upload (the file in the field `file`) as the JSON body it stands for, so that one
 * DTO validates both: `{kind: 'file', name: <its file name>, content: <its JSON>}`.
 */
@Injectable()
export class MultipartCredentialPipe implements PipeTransform {
  transform(value: unknown): unknown {
    if (!(value instanceof MultipartForm)) return value;
    const [file] = value.filesOf('file');
    if (!file)
      throw ApiError.badRequest('Send the credential file in the form field "file".', 'file');
    let content: unknown;
    try {
      content = JSON.parse(file.data.toString('utf8'));
    } catch {
      throw ApiError.badRequest('The uploaded file is not valid JSON.', 'file');
    }
    return { kind: 'file', name: value.field('name') ?? file.filename, content };
  }
}
