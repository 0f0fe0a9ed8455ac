import { ApiError } from '../errors/api-error';
import { JsonObject } from '../upstream/gemini-types';

export function requireObject(body: unknown): JsonObject {
  if (!body || typeof body !== 'object' || Array.isArray(body)) {
    throw ApiError.badRequest('The request body must be a JSON object.');
  }
  return body as JsonObject;
}
