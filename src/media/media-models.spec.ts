import { DEFAULT_MEDIA_MODELS, mediaModel } from './media-models';

describe('mediaModel', () => {
  const none = (name: string) => name;

  it("maps OpenAI's media model names to Gemini defaults", () => {
    expect(mediaModel('dall-e-3', none)).toBe(DEFAULT_MEDIA_MODELS['dall-e-3']);
    expect(mediaModel('whisper-1', none)).toBe(DEFAULT_MEDIA_MODELS['whisper-1']);
  });

  it("prefers the operator's alias, and passes Gemini names through", () => {
    const aliases = (name: string) => (name === 'tts-1' ? 'gemini-3.8-flash-tts' : name);
    expect(mediaModel('tts-1', aliases)).toBe('gemini-3.8-flash-tts');
    expect(mediaModel('models/gemini-3-pro-image', aliases)).toBe('gemini-3-pro-image');
  });
});
