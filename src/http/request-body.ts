import { ApiError } from '../errors/api-error';
import { jsonNestingExceeds } from './json-depth';

/** Deeper than any real request (Google's own parsers stop at 100 levels of nesting). */
export const MAX_JSON_DEPTH = 100;

/**
 * The parsed body for a content type: JSON (also sent as text/plain and `+json`, as before),
 * forms as a flat object, anything else ignored. Every refusal is a 4xx the route's dialect renders.
 */
export function parseRequestBody(raw: Buffer, contentType: string | undefined): unknown {
  const { mime, charset } = mediaType(contentType);
  if (charset && charset !== 'utf-8' && charset !== 'utf8') {
    throw new ApiError({
      status: 415,
      kind: 'invalid_request',
      message: `Unsupported charset "${charset.slice(0, 40)}"; send the body as UTF-8.`,
    });
  }
  if (mime === 'application/x-www-form-urlencoded') {
    return Object.fromEntries(new URLSearchParams(raw.toString('utf8')));
  }
  if (mime !== 'application/json' && mime !== 'text/plain' && !mime.endsWith('+json')) {
    return undefined;
  }
  const text = raw.toString('utf8').replace(/^\uFEFF/, '');
  if (text.trim() === '') return {};
  if (jsonNestingExceeds(text, MAX_JSON_DEPTH)) {
    throw ApiError.badRequest(
      `The request body is nested deeper than ${MAX_JSON_DEPTH} levels of objects and arrays.`,
    );
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw ApiError.badRequest('The request body is not valid JSON.');
  }
  if (value === null || typeof value !== 'object') {
    throw ApiError.badRequest('The request body is not valid JSON: it must be an object.');
  }
  return value;
}

function mediaType(header: string | undefined): { mime: string; charset?: string } {
  const [type = '', ...params] = (header ?? '').split(';');
  let charset: string | undefined;
  for (const param of params) {
    const [name, value] = param.split('=');
    if (name?.trim().toLowerCase() === 'charset' && value) {
      charset = value.trim().replace(/^"|"$/g, '').toLowerCase();
    }
  }
  return { mime: type.trim().toLowerCase(), charset };
}
