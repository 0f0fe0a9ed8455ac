/**
 * What OpenAI's media model names stand for when MODEL_ALIASES does not name them. Google renames
 * these models often (Imagen was shut down in 2026, the 2.5 TTS previews on 2026-12-18), so these
 * are only starting points: an operator's alias for the same name always wins, and any Gemini
 * model name is taken as it is.
 */
export const DEFAULT_MEDIA_MODELS: Readonly<Record<string, string>> = {
  // Nano Banana 2: GA since 2026-05-28, the fast image model; Pro is gemini-3-pro-image.
  'dall-e-2': 'gemini-3.1-flash-image',
  'dall-e-3': 'gemini-3.1-flash-image',
  'gpt-image-1': 'gemini-3.1-flash-image',
  'gpt-image-1-mini': 'gemini-3.1-flash-image',
  // tts-1 is OpenAI's fast voice, tts-1-hd its careful one: Google's Flash-Lite and Flash TTS.
  'tts-1': 'gemini-3.8-flash-lite-tts',
  'tts-1-hd': 'gemini-3.8-flash-tts',
  'gpt-4o-mini-tts': 'gemini-3.8-flash-tts',
  // Any multimodal Flash model transcribes; the cheapest GA one by default.
  'whisper-1': 'gemini-3.5-flash-lite',
  'gpt-4o-transcribe': 'gemini-3.5-flash-lite',
  'gpt-4o-mini-transcribe': 'gemini-3.5-flash-lite',
};

/** The model a media request is sent to: the operator's alias, else our default, else the name. */
export function mediaModel(requested: string, resolveAlias: (name: string) => string): string {
  const name = requested.trim().replace(/^models\//, '');
  const aliased = resolveAlias(name);
  if (aliased !== name) return aliased;
  return DEFAULT_MEDIA_MODELS[name] ?? name;
}
