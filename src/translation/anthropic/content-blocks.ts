import { ApiError } from '../../errors/api-error';
import type { GeminiPart } from '../../upstream/gemini-types';
import { FetchMedia, normaliseBase64 } from '../common/content-parts';
import { isRecord } from '../../json/is-record';

/** Fetched URLs can be long and signed; errors show enough to recognise them. */
const shortUrl = (url: string): string => (url.length > 120 ? `${url.slice(0, 117)}...` : url);

async function fetched(url: unknown, at: string, fetchMedia: FetchMedia): Promise<GeminiPart> {
  if (typeof url !== 'string' || !/^https?:\/\//i.test(url)) {
    throw ApiError.badRequest(`${at}.url: must be an http(s) URL.`, `${at}.url`);
  }
  try {
    return { inlineData: await fetchMedia(url) };
  } catch (err) {
    // A limit of the whole request (MEDIA_FETCH_MAX_URLS) is no fault of this URL.
    if (err instanceof ApiError) throw err;
    const reason = err instanceof Error ? err.message : String(err);
    throw ApiError.badRequest(
      `${at}.url: could not fetch ${shortUrl(url)}: ${reason}`,
      `${at}.url`,
    );
  }
}

function base64Part(source: Record<string, unknown>, at: string): GeminiPart {
  const data = typeof source.data === 'string' ? normaliseBase64(source.data) : undefined;
  if (!data) throw ApiError.badRequest(`${at}.data: must be base64 data.`, `${at}.data`);
  if (typeof source.media_type !== 'string' || source.media_type === '') {
    throw ApiError.badRequest(`${at}.media_type: Field required`, `${at}.media_type`);
  }
  return { inlineData: { mimeType: source.media_type, data } };
}

const noFiles = (at: string) =>
  ApiError.badRequest(
    `${at}.file_id: the Files API is not supported by this proxy; send the data as base64 or a URL.`,
    `${at}.file_id`,
  );

/** `image.source`: base64 and URL images become inline data; URLs are fetched by the proxy. */
async function imageParts(
  block: Record<string, unknown>,
  at: string,
  fetchMedia: FetchMedia,
): Promise<GeminiPart[]> {
  const source = isRecord(block.source) ? block.source : {};
  const where = `${at}.source`;
  switch (source.type) {
    case 'base64':
      return [base64Part(source, where)];
    case 'url':
      return [await fetched(source.url, where, fetchMedia)];
    case 'file':
      throw noFiles(where);
    default:
      throw ApiError.badRequest(`${where}.type: must be base64 or url.`, `${where}.type`);
  }
}

/**
 * `document.source`: a PDF (base64 or URL) becomes inline data; plain text and `content` blocks
 * become text parts, the title first so the model knows what it reads.
 */
async function documentParts(
  block: Record<string, unknown>,
  at: string,
  fetchMedia: FetchMedia,
): Promise<GeminiPart[]> {
  const source = isRecord(block.source) ? block.source : {};
  const where = `${at}.source`;
  const title = typeof block.title === 'string' && block.title ? [{ text: block.title }] : [];
  switch (source.type) {
    case 'base64':
      return [...title, base64Part(source, where)];
    case 'url':
      return [...title, await fetched(source.url, where, fetchMedia)];
    case 'text': {
      const text = typeof source.data === 'string' ? source.data : '';
      return [...title, ...(text ? [{ text }] : [])];
    }
    case 'content':
      return [
        ...title,
        ...(await contentBlockParts(source.content, `${where}.content`, fetchMedia)),
      ];
    case 'file':
      throw noFiles(where);
    default:
      throw ApiError.badRequest(
        `${where}.type: must be base64, url, text or content.`,
        `${where}.type`,
      );
  }
}

/** `search_result` blocks (RAG results a client passes in) read as text with their source. */
function searchResultParts(block: Record<string, unknown>): GeminiPart[] {
  const head = [block.title, block.source].filter((s) => typeof s === 'string' && s).join('\n');
  const body = Array.isArray(block.content)
    ? block.content.map((c: unknown) => (isRecord(c) && typeof c.text === 'string' ? c.text : ''))
    : [];
  const text = [head, ...body].filter(Boolean).join('\n');
  return text ? [{ text }] : [];
}

/**
 * The media and text blocks a user turn or a tool result may hold → Gemini parts, in order.
 * Empty text is skipped (Gemini answers 400 to an empty text part). Blocks that belong to the
 * conversation's structure (tool_use, tool_result, thinking) are handled by the caller; here
 * they are refused.
 */
export async function contentBlockParts(
  content: unknown,
  at: string,
  fetchMedia: FetchMedia,
): Promise<GeminiPart[]> {
  if (content === undefined || content === null) return [];
  if (typeof content === 'string') return content ? [{ text: content }] : [];
  if (!Array.isArray(content)) {
    throw ApiError.badRequest(`${at}: must be a string or a list of content blocks.`, at);
  }
  const parts = await Promise.all(
    content.map((block: unknown, j) => mediaBlockParts(block, `${at}.${j}`, fetchMedia)),
  );
  return parts.flat();
}

export async function mediaBlockParts(
  block: unknown,
  at: string,
  fetchMedia: FetchMedia,
): Promise<GeminiPart[]> {
  if (!isRecord(block)) throw ApiError.badRequest(`${at}: must be an object.`, at);
  switch (block.type) {
    case 'text':
      if (typeof block.text !== 'string') {
        throw ApiError.badRequest(`${at}.text: Field required`, `${at}.text`);
      }
      return block.text ? [{ text: block.text }] : [];
    case 'image':
      return imageParts(block, at, fetchMedia);
    case 'document':
      return documentParts(block, at, fetchMedia);
    case 'search_result':
      return searchResultParts(block);
    case 'tool_reference':
      // Claude Code's tool search result; the tool itself is declared by the request mapper.
      return typeof block.tool_name === 'string'
        ? [{ text: `Tool ${block.tool_name} loaded.` }]
        : [];
    default:
      throw ApiError.badRequest(
        `${at}.type: ${JSON.stringify(block.type)} is not supported here.`,
        `${at}.type`,
      );
  }
}
