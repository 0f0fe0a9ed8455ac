import { ApiError } from '../../errors/api-error';
import {
  FetchedMedia,
  mimeFromFilename,
  normaliseBase64,
  parseDataUrl,
  toGeminiParts,
  toTextParts,
} from './content-parts';

// A 1×1 transparent PNG, as browsers and the openai SDK encode it.
const PNG_B64 =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=';

const noFetch = (url: string): Promise<FetchedMedia> =>
  Promise.reject(new Error(`unexpected fetch ${url}`));

async function errorOf(promise: Promise<unknown>): Promise<ApiError> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof ApiError) return err;
    throw err;
  }
  throw new Error('expected an ApiError');
}

describe('parseDataUrl', () => {
  it.each([
    [`data:image/png;base64,${PNG_B64}`, { mimeType: 'image/png', data: PNG_B64 }],
    ['data:IMAGE/JPEG;base64,/9j/4AAQ', { mimeType: 'image/jpeg', data: '/9j/4AAQ' }],
    [
      'data:application/pdf;name=a.pdf;base64,JVBERi0x',
      { mimeType: 'application/pdf', data: 'JVBERi0x' },
    ],
    ['data:text/plain,hello%20world', { mimeType: 'text/plain', data: 'aGVsbG8gd29ybGQ=' }],
    ['data:image/png;base64,iVBO\nRw0K', { mimeType: 'image/png', data: 'iVBORw0K' }],
  ])('reads %s', (url, expected) => {
    expect(parseDataUrl(url)).toEqual(expected);
  });

  it.each([
    'data:image/png;base64,not base64!',
    'data:image/png;base64,',
    'http://x/a.png',
    'data:image/png',
  ])('rejects %s', (url) => {
    expect(parseDataUrl(url)).toBeUndefined();
  });
});

describe('normaliseBase64', () => {
  it('turns URL-safe base64 into standard base64', () => {
    expect(normaliseBase64('-_8=')).toBe('+/8=');
  });
});

describe('mimeFromFilename', () => {
  it.each([
    ['report.PDF', 'application/pdf'],
    ['photo.jpeg', 'image/jpeg'],
    ['notes.md', 'text/markdown'],
  ])('gives %s the type %s', (name, mime) => {
    expect(mimeFromFilename(name)).toBe(mime);
  });

  it.each(['archive.zip', 'README'])('gives %s no type', (name) => {
    expect(mimeFromFilename(name)).toBeUndefined();
  });
});

describe('toGeminiParts', () => {
  it('maps a string to one text part', async () => {
    expect(await toGeminiParts('Hello', 'messages[0]', noFetch)).toEqual([{ text: 'Hello' }]);
  });

  it.each([[''], [null], [undefined]])('maps %p content to no parts', async (content) => {
    expect(await toGeminiParts(content, 'messages[0]', noFetch)).toEqual([]);
  });

  it('skips empty text parts, which Gemini rejects', async () => {
    const content = [
      { type: 'text', text: '' },
      { type: 'text', text: 'Describe this.' },
    ];
    expect(await toGeminiParts(content, 'messages[0]', noFetch)).toEqual([
      { text: 'Describe this.' },
    ]);
  });

  it('maps an image data URL to inlineData', async () => {
    const content = [
      { type: 'image_url', image_url: { url: `data:image/png;base64,${PNG_B64}`, detail: 'high' } },
    ];
    expect(await toGeminiParts(content, 'messages[0]', noFetch)).toEqual([
      { inlineData: { mimeType: 'image/png', data: PNG_B64 } },
    ]);
  });

  it('accepts image_url given as a bare string', async () => {
    const content = [{ type: 'image_url', image_url: `data:image/png;base64,${PNG_B64}` }];
    expect(await toGeminiParts(content, 'messages[0]', noFetch)).toHaveLength(1);
  });

  it('fetches an https image and keeps its place among the parts', async () => {
    const fetched: string[] = [];
    const fetchMedia = async (url: string) => {
      fetched.push(url);
      return { mimeType: 'image/jpeg', data: '/9j/4AAQ' };
    };
    const content = [
      { type: 'text', text: 'What is in this image?' },
      { type: 'image_url', image_url: { url: 'https://upload.wikimedia.org/cat.jpg' } },
      { type: 'text', text: 'Answer briefly.' },
    ];
    expect(await toGeminiParts(content, 'messages[1]', fetchMedia)).toEqual([
      { text: 'What is in this image?' },
      { inlineData: { mimeType: 'image/jpeg', data: '/9j/4AAQ' } },
      { text: 'Answer briefly.' },
    ]);
    expect(fetched).toEqual(['https://upload.wikimedia.org/cat.jpg']);
  });

  it('names the URL and the part when a fetch fails', async () => {
    const failing = () => Promise.reject(new Error('HTTP 404'));
    const content = [
      { type: 'text', text: 'hi' },
      { type: 'image_url', image_url: { url: 'https://x.test/a.png' } },
    ];
    const err = await errorOf(toGeminiParts(content, 'messages[2]', failing));
    expect([err.status, err.message, err.param]).toEqual([
      400,
      'Could not fetch image_url https://x.test/a.png: HTTP 404',
      'messages[2].content[1].image_url.url',
    ]);
  });

  it.each([
    ['a malformed data URL', 'data:image/png;base64,@@@'],
    ['a data URL without a type', `data:;base64,${PNG_B64}`],
    ['a file URL', 'file:///etc/passwd'],
    ['a gs URL', 'gs://bucket/cat.png'],
  ])('rejects %s with 400 naming the url', async (_, url) => {
    const err = await errorOf(
      toGeminiParts([{ type: 'image_url', image_url: { url } }], 'messages[0]', noFetch),
    );
    expect([err.status, err.param]).toEqual([400, 'messages[0].content[0].image_url.url']);
  });

  it('maps input_audio to inlineData of audio/<format>', async () => {
    const content = [
      { type: 'input_audio', input_audio: { data: 'UklGRiQAAABXQVZF', format: 'wav' } },
    ];
    expect(await toGeminiParts(content, 'messages[0]', noFetch)).toEqual([
      { inlineData: { mimeType: 'audio/wav', data: 'UklGRiQAAABXQVZF' } },
    ]);
  });

  it('rejects input_audio without base64 data', async () => {
    const content = [{ type: 'input_audio', input_audio: { data: '', format: 'mp3' } }];
    const err = await errorOf(toGeminiParts(content, 'messages[0]', noFetch));
    expect(err.param).toBe('messages[0].content[0].input_audio.data');
  });

  it('maps a file sent as a data URL to inlineData with its type', async () => {
    const content = [
      {
        type: 'file',
        file: { filename: 'q3.pdf', file_data: 'data:application/pdf;base64,JVBERi0x' },
      },
    ];
    expect(await toGeminiParts(content, 'messages[0]', noFetch)).toEqual([
      { inlineData: { mimeType: 'application/pdf', data: 'JVBERi0x' } },
    ]);
  });

  it('takes the type of a file sent as bare base64 from its filename', async () => {
    const content = [{ type: 'file', file: { filename: 'q3.pdf', file_data: 'JVBERi0x' } }];
    expect(await toGeminiParts(content, 'messages[0]', noFetch)).toEqual([
      { inlineData: { mimeType: 'application/pdf', data: 'JVBERi0x' } },
    ]);
  });

  it.each([
    ['files/abc123', undefined],
    ['https://generativelanguage.googleapis.com/v1beta/files/abc123', undefined],
    ['files/abc123', 'notes.pdf'],
  ])('reads a Gemini file named %s (filename %s) by its URI', async (fileId, filename) => {
    const content = [{ type: 'file', file: { file_id: fileId, filename } }];
    expect(await toGeminiParts(content, 'messages[0]', noFetch)).toEqual([
      {
        fileData: {
          fileUri: 'https://generativelanguage.googleapis.com/v1beta/files/abc123',
          ...(filename ? { mimeType: 'application/pdf' } : {}),
        },
      },
    ]);
  });

  it.each([
    ['an OpenAI file_id', { file_id: 'file-abc123' }, 'messages[0].content[0].file.file_id'],
    [
      'a file_id on another host',
      { file_id: 'https://evil.example/v1beta/files/abc' },
      'messages[0].content[0].file.file_id',
    ],
    [
      'base64 of unknown type',
      { file_data: 'JVBERi0x', filename: 'blob.bin' },
      'messages[0].content[0].file.filename',
    ],
    [
      'data that is not base64',
      { file_data: '%%%', filename: 'a.pdf' },
      'messages[0].content[0].file.file_data',
    ],
  ])('rejects a file with %s', async (_, file, param) => {
    const err = await errorOf(toGeminiParts([{ type: 'file', file }], 'messages[0]', noFetch));
    expect(err.param).toBe(param);
  });

  it('rejects an unknown part type naming it', async () => {
    const err = await errorOf(
      toGeminiParts([{ type: 'video_url', video_url: 'x' }], 'messages[3]', noFetch),
    );
    expect([err.message, err.param]).toEqual([
      'messages[3].content[0].type "video_url" is not supported.',
      'messages[3].content[0].type',
    ]);
  });

  it('rejects content that is neither a string nor an array', async () => {
    const err = await errorOf(toGeminiParts({ text: 'hi' }, 'messages[0]', noFetch));
    expect(err.param).toBe('messages[0].content');
  });
});

describe('toTextParts', () => {
  it('maps an array of text parts in order', () => {
    const content = [
      { type: 'text', text: 'You are terse.' },
      { type: 'text', text: 'Answer in French.' },
    ];
    expect(toTextParts(content, 'messages[0]')).toEqual([
      { text: 'You are terse.' },
      { text: 'Answer in French.' },
    ]);
  });

  it('rejects an image in a system message', () => {
    const content = [{ type: 'image_url', image_url: { url: 'https://x.test/a.png' } }];
    expect(() => toTextParts(content, 'messages[0]')).toThrow(
      expect.objectContaining({ param: 'messages[0].content[0].type' }),
    );
  });
});
