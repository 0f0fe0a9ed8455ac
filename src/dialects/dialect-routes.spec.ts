import type { IncomingHttpHeaders } from 'node:http';
import { adminDialect } from '../admin/admin-dialect';
import type { Dialect } from '../errors/dialect';
import { googleDialect } from '../errors/google-dialect';
import { anthropicDialect } from '../translation/anthropic/errors';
import { openAIDialect } from '../translation/openai/errors';
import { responsesDialect } from '../translation/responses/errors';
import { dialectFor } from './dialect-routes';

const ANTHROPIC = { 'anthropic-version': '2023-06-01' };
const GOOGLE_SDK = { 'x-goog-api-client': 'google-genai-sdk/1.0' };

describe('dialectFor', () => {
  it.each<[string, string, string, IncomingHttpHeaders, Dialect]>([
    ['chat completions', 'POST', '/v1/chat/completions', {}, openAIDialect],
    ['images', 'POST', '/v1/images/generations', {}, openAIDialect],
    ['an unknown /v1 route', 'GET', '/v1/nothing', {}, openAIDialect],
    ['the health route', 'GET', '/health', {}, openAIDialect],
    ['messages', 'POST', '/v1/messages', {}, anthropicDialect],
    ['count_tokens', 'POST', '/v1/messages/count_tokens', {}, anthropicDialect],
    ['responses', 'POST', '/v1/responses', {}, responsesDialect],
    ['a stored response', 'GET', '/v1/responses/resp_1', {}, responsesDialect],
    ['native routes', 'POST', '/v1beta/models/gemini-2.5-pro:generateContent', {}, googleDialect],
    [
      "Google's /v1 actions",
      'POST',
      '/v1/models/gemini-2.5-pro:generateContent',
      {},
      googleDialect,
    ],
    ['any POST under /v1/models/', 'POST', '/v1/models/gemini-2.5-pro', {}, googleDialect],
    ['the model list', 'GET', '/v1/models', {}, openAIDialect],
    ['the model list for Anthropic', 'GET', '/v1/models', ANTHROPIC, anthropicDialect],
    [
      "the model list for Google's SDKs",
      'GET',
      '/v1/models/gemini-2.5-pro',
      GOOGLE_SDK,
      googleDialect,
    ],
    ['the admin page', 'GET', '/admin', {}, adminDialect],
    ['an admin action', 'POST', '/admin/credentials/x/enable', {}, adminDialect],
    ['a path that only starts like admin', 'GET', '/administrator', {}, openAIDialect],
  ])('answers %s in its dialect', (_name, method, path, headers, dialect) => {
    expect(dialectFor({ method, path, headers })).toBe(dialect);
  });
});
