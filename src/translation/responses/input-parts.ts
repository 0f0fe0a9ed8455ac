import { ApiError } from '../../errors/api-error';
import type { GeminiPart } from '../../upstream/gemini-types';
import { FetchMedia, toGeminiParts } from '../common/content-parts';
import { isRecord } from '../../json/is-record';

/** Responses content parts → the content-part shape the shared media rules read. */
function toSharedPart(part: unknown, at: string): unknown {
  if (!isRecord(part)) return part;
  switch (part.type) {
    case 'input_text':
    case 'output_text':
    case 'text':
      return { type: 'text', text: part.text };
    case 'refusal':
      return { type: 'refusal', refusal: part.refusal };
    case 'input_image':
      if (typeof part.image_url !== 'string') {
        const field = part.file_id !== undefined ? 'file_id' : 'image_url';
        throw ApiError.badRequest(
          field === 'file_id'
            ? `${at}.file_id is not supported (the proxy has no Files API); send image_url as a URL or data URL.`
            : `${at}.image_url is required.`,
          `${at}.${field}`,
        );
      }
      return { type: 'image_url', image_url: { url: part.image_url } };
    case 'input_file':
      // A remote file is fetched like a remote image, under the same size and address rules.
      if (typeof part.file_url === 'string' && part.file_data === undefined) {
        return { type: 'image_url', image_url: { url: part.file_url } };
      }
      return {
        type: 'file',
        file: { file_data: part.file_data, file_id: part.file_id, filename: part.filename },
      };
    default:
      return part;
  }
}

export function sharedContent(content: unknown, at: string): unknown {
  if (!Array.isArray(content)) return content;
  return content.map((part: unknown, j) => toSharedPart(part, `${at}.content[${j}]`));
}

/** A tool result's `output`: a string or input parts; text goes into the functionResponse. */
export function outputParts(
  output: unknown,
  at: string,
  fetchMedia: FetchMedia,
): { text: string; media: Promise<GeminiPart[]> } {
  if (typeof output === 'string') return { text: output, media: Promise.resolve([]) };
  if (!Array.isArray(output)) {
    throw ApiError.badRequest(
      `${at}.output must be a string or an array of parts.`,
      `${at}.output`,
    );
  }
  const text = output
    .map((p: unknown) =>
      isRecord(p) && (p.type === 'input_text' || p.type === 'output_text') ? String(p.text) : '',
    )
    .join('');
  const media = output.filter(
    (p: unknown) => isRecord(p) && (p.type === 'input_image' || p.type === 'input_file'),
  );
  return {
    text,
    media:
      media.length > 0
        ? toGeminiParts(sharedContent(media, at), at, fetchMedia)
        : Promise.resolve([]),
  };
}
