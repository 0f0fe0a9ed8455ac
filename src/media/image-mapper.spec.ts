import { imagesOf, noImageError, toImageConfig, toImageRequest } from './image-mapper';

describe('toImageConfig', () => {
  it.each([
    [undefined, undefined, {}],
    ['auto', undefined, {}],
    ['1024x1024', undefined, { aspectRatio: '1:1' }],
    ['1536x1024', undefined, { aspectRatio: '3:2' }],
    ['1024x1536', undefined, { aspectRatio: '2:3' }],
    ['1792x1024', undefined, { aspectRatio: '16:9' }],
    ['1024x1792', undefined, { aspectRatio: '9:16' }],
    ['256x256', undefined, { aspectRatio: '1:1' }],
    ['2560x1080', undefined, { aspectRatio: '21:9', imageSize: '2K' }],
    ['4096x4096', undefined, { aspectRatio: '1:1', imageSize: '4K' }],
    ['1024x1024', 'hd', { aspectRatio: '1:1', imageSize: '2K' }],
    ['1024x1024', 'high', { aspectRatio: '1:1', imageSize: '2K' }],
    ['1024x1024', 'standard', { aspectRatio: '1:1' }],
    ['4:5', undefined, { aspectRatio: '4:5' }],
  ])('maps size %s with quality %s to %j', (size, quality, expected) => {
    expect(toImageConfig(size, quality)).toEqual(expected);
  });

  it.each(['big', '0x100', '1024x', '16:10'])('refuses size %s with a 400 naming size', (size) => {
    expect(() => toImageConfig(size, undefined)).toThrow(
      expect.objectContaining({ status: 400, param: 'size' }),
    );
  });
});

describe('toImageRequest', () => {
  it('asks for an image only, without imageConfig when nothing was asked', () => {
    expect(toImageRequest('a cat', {})).toEqual({
      contents: [{ role: 'user', parts: [{ text: 'a cat' }] }],
      generationConfig: { responseModalities: ['IMAGE'] },
    });
  });
});

describe('imagesOf and noImageError', () => {
  it('leaves out thought images and text', () => {
    const resp = {
      candidates: [
        {
          content: {
            parts: [
              { text: 'Sure' },
              { inlineData: { mimeType: 'image/png', data: 'draft' }, thought: true },
              { inlineData: { mimeType: 'image/jpeg', data: 'final' } },
            ],
          },
        },
      ],
    };
    expect(imagesOf(resp)).toEqual([{ mimeType: 'image/jpeg', data: 'final' }]);
  });

  it('makes a blocked prompt a 400 content_policy_violation and a chatty model a 502', () => {
    expect(noImageError({ promptFeedback: { blockReason: 'SAFETY' } })).toMatchObject({
      status: 400,
      code: 'content_policy_violation',
    });
    const chatty = noImageError({
      candidates: [{ content: { parts: [{ text: 'I cannot draw' }] }, finishReason: 'STOP' }],
    });
    expect(chatty.status).toBe(502);
    expect(chatty.message).toMatch(/I cannot draw/);
  });
});
