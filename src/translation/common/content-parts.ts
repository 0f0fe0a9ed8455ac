import { ApiError } from '../../errors/api-error';
import type { GeminiPart } from '../../upstream/gemini-types';
import { isRecord } from '../../json/is-record';

export interface FetchedMedia {
  mimeType: string;
  /** base64 */
  data: string;
}

export type FetchMedia = (url: string) => Promise<FetchedMedia>;

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** Accepts standard and URL-safe base64 with stray whitespace; returns undefined when it is not base64. */
export function normaliseBase64(raw: string): string | undefined {
  // Most payloads are already canonical: check once and keep the string, instead of three copies of a 20 MB image.
  if (raw.length > 0 && raw.length % 4 !== 1 && BASE64.test(raw)) return raw;
  const data = raw.replace(/\s+/g, '').replace(/-/g, '+').replace(/_/g, '/');
  if (data.length === 0 || data.length % 4 === 1 || !BASE64.test(data)) return undefined;
  return data;
}

/** `data:<mime>[;param…][;base64],<payload>`; a percent-encoded payload is re-encoded as base64. */
export function parseDataUrl(url: string): FetchedMedia | undefined {
  const m = /^data:([^;,]*)((?:;[^;,]*)*),(.*)$/s.exec(url.trim());
  if (!m) return undefined;
  const mimeType = m[1].trim().toLowerCase();
  const isBase64 = m[2].split(';').some((p) => p.trim().toLowerCase() === 'base64');
  if (isBase64) {
    const data = normaliseBase64(m[3]);
    return data === undefined ? undefined : { mimeType, data };
  }
  try {
    return { mimeType, data: Buffer.from(decodeURIComponent(m[3]), 'utf8').toString('base64') };
  } catch {
    return undefined;
  }
}

// Types Gemini reads as inline data, by the extension clients put in `file.filename`.
const MIME_BY_EXTENSION: Record<string, string> = {
  pdf: 'application/pdf',
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  webp: 'image/webp',
  gif: 'image/gif',
  heic: 'image/heic',
  heif: 'image/heif',
  wav: 'audio/wav',
  mp3: 'audio/mp3',
  aiff: 'audio/aiff',
  aac: 'audio/aac',
  ogg: 'audio/ogg',
  flac: 'audio/flac',
  m4a: 'audio/mp4',
  mp4: 'video/mp4',
  mpeg: 'video/mpeg',
  mov: 'video/mov',
  webm: 'video/webm',
  txt: 'text/plain',
  md: 'text/markdown',
  csv: 'text/csv',
  html: 'text/html',
  htm: 'text/html',
  xml: 'text/xml',
  json: 'application/json',
  rtf: 'text/rtf',
  css: 'text/css',
  js: 'text/javascript',
  ts: 'text/x-typescript',
  py: 'text/x-python',
};

export function mimeFromFilename(filename: unknown): string | undefined {
  if (typeof filename !== 'string') return undefined;
  const ext = /\.([A-Za-z0-9]+)$/.exec(filename)?.[1]?.toLowerCase();
  return ext ? MIME_BY_EXTENSION[ext] : undefined;
}

/** Fetched URLs can be long and signed; errors show enough to recognise them. */
function shortUrl(url: string): string {
  return url.length > 120 ? `${url.slice(0, 117)}...` : url;
}

async function imagePart(value: unknown, at: string, fetchMedia: FetchMedia): Promise<GeminiPart> {
  const url = typeof value === 'string' ? value : isRecord(value) ? value.url : undefined;
  const param = `${at}.image_url.url`;
  if (typeof url !== 'string' || url.length === 0) {
    throw ApiError.badRequest(`${param} must be a URL string.`, param);
  }
  if (url.startsWith('data:')) {
    const media = parseDataUrl(url);
    if (!media || !media.mimeType) {
      throw ApiError.badRequest(
        `${param} is not a valid data URL (data:<mime>;base64,<data>).`,
        param,
      );
    }
    return { inlineData: media };
  }
  if (!/^https?:\/\//i.test(url)) {
    throw ApiError.badRequest(`${param} must be an http(s) URL or a data URL.`, param);
  }
  try {
    return { inlineData: await fetchMedia(url) };
  } catch (err) {
    if (err instanceof ApiError) throw err;
    const reason = err instanceof Error ? err.message : String(err);
    throw ApiError.badRequest(`Could not fetch image_url ${shortUrl(url)}: ${reason}`, param);
  }
}

function audioPart(value: unknown, at: string): GeminiPart {
  const param = `${at}.input_audio`;
  const data =
    isRecord(value) && typeof value.data === 'string' ? normaliseBase64(value.data) : undefined;
  if (!data) throw ApiError.badRequest(`${param}.data must be base64 audio.`, `${param}.data`);
  const format =
    isRecord(value) && typeof value.format === 'string' ? value.format.toLowerCase() : '';
  if (!/^[a-z0-9.+-]+$/.test(format)) {
    throw ApiError.badRequest(
      `${param}.format must name the audio format (wav, mp3, …).`,
      `${param}.format`,
    );
  }
  return { inlineData: { mimeType: `audio/${format}`, data } };
}

/** Google's file names (`files/abc`), bare or inside the file's URI. */
const GOOGLE_FILE =
  /^(?:https:\/\/generativelanguage\.googleapis\.com\/v1(?:beta)?\/)?(files\/[a-z0-9-]{1,64})$/;

/**
 * A file uploaded through `/upload/v1beta/files` (Google's Files API), named by its `files/…` id
 * or URI: Gemini reads it by URI, and the dispatcher sends the request to the key that owns it.
 */
function googleFilePart(fileId: string, filename: unknown, param: string): GeminiPart {
  const name = GOOGLE_FILE.exec(fileId)?.[1];
  if (!name) {
    throw ApiError.badRequest(
      `${param}.file_id must name a Gemini file (files/… or its URI, from POST /upload/v1beta/files); send other files as file_data.`,
      `${param}.file_id`,
    );
  }
  const mimeType = mimeFromFilename(filename);
  return {
    fileData: {
      fileUri: `https://generativelanguage.googleapis.com/v1beta/${name}`,
      ...(mimeType ? { mimeType } : {}),
    },
  };
}

function filePart(value: unknown, at: string): GeminiPart {
  const param = `${at}.file`;
  const file = isRecord(value) ? value : {};
  if (typeof file.file_data !== 'string') {
    if (typeof file.file_id === 'string') return googleFilePart(file.file_id, file.filename, param);
    if (file.file_id !== undefined) {
      throw ApiError.badRequest(`${param}.file_id must be a string.`, `${param}.file_id`);
    }
    throw ApiError.badRequest(`${param}.file_data is required.`, `${param}.file_data`);
  }
  const isDataUrl = file.file_data.startsWith('data:');
  const fromUrl = isDataUrl ? parseDataUrl(file.file_data) : undefined;
  const data = isDataUrl ? fromUrl?.data : normaliseBase64(file.file_data);
  if (!data) {
    throw ApiError.badRequest(
      `${param}.file_data must be a data URL or base64.`,
      `${param}.file_data`,
    );
  }
  const mimeType = fromUrl?.mimeType || mimeFromFilename(file.filename);
  if (!mimeType) {
    throw ApiError.badRequest(
      `${param}: cannot tell the file type; use a data URL or a filename with a known extension.`,
      `${param}.filename`,
    );
  }
  return { inlineData: { mimeType, data } };
}

/**
 * OpenAI message content → Gemini parts. Empty text is skipped: Gemini answers 400 to an empty
 * text part. Remote images are fetched concurrently and keep their place.
 */
export async function toGeminiParts(
  content: unknown,
  at: string,
  fetchMedia: FetchMedia,
): Promise<GeminiPart[]> {
  if (content === null || content === undefined) return [];
  if (typeof content === 'string') return content ? [{ text: content }] : [];
  if (!Array.isArray(content)) {
    throw ApiError.badRequest(
      `${at}.content must be a string or an array of content parts.`,
      `${at}.content`,
    );
  }
  const parts = content.map(async (part: unknown, j): Promise<GeminiPart | undefined> => {
    const p = `${at}.content[${j}]`;
    const type = isRecord(part) ? part.type : undefined;
    if (!isRecord(part)) throw ApiError.badRequest(`${p} must be an object.`, p);
    switch (type) {
      case 'text':
      case 'refusal': {
        const text = part[type];
        if (typeof text !== 'string') {
          throw ApiError.badRequest(`${p}.${type} must be a string.`, `${p}.${type}`);
        }
        return text ? { text } : undefined;
      }
      case 'image_url':
        return imagePart(part.image_url, p, fetchMedia);
      case 'input_audio':
        return audioPart(part.input_audio, p);
      case 'file':
        return filePart(part.file, p);
      default:
        throw ApiError.badRequest(
          `${p}.type ${JSON.stringify(type)} is not supported.`,
          `${p}.type`,
        );
    }
  });
  return (await Promise.all(parts)).filter((p): p is GeminiPart => p !== undefined);
}

/** System and developer messages: Gemini's systemInstruction takes text only. */
export function toTextParts(content: unknown, at: string): GeminiPart[] {
  if (content === null || content === undefined) return [];
  if (typeof content === 'string') return content ? [{ text: content }] : [];
  if (!Array.isArray(content)) {
    throw ApiError.badRequest(
      `${at}.content must be a string or an array of text parts.`,
      `${at}.content`,
    );
  }
  return content.flatMap((part: unknown, j) => {
    if (!isRecord(part) || part.type !== 'text' || typeof part.text !== 'string') {
      const p = `${at}.content[${j}]`;
      throw ApiError.badRequest(
        `${p} must be a text part; this role takes text only.`,
        `${p}.type`,
      );
    }
    return part.text ? [{ text: part.text }] : [];
  });
}
