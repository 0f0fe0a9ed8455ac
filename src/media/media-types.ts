/** OpenAI's media routes, as far as the proxy reads and answers them. */

export interface ImageGenerationRequest {
  prompt: string;
  model?: string;
  n?: number;
  size?: string;
  quality?: string;
  response_format?: 'url' | 'b64_json';
}

export interface ImagesResponse {
  created: number;
  data: ({ b64_json: string } | { url: string })[];
  usage: {
    total_tokens: number;
    input_tokens: number;
    output_tokens: number;
    input_tokens_details: { text_tokens: number; image_tokens: number };
  };
}

export interface SpeechRequest {
  model: string;
  input: string;
  voice: string;
  instructions?: string;
  response_format?: string;
  speed?: number;
  stream_format?: 'audio' | 'sse';
}

/** A media route's answer that is not JSON (audio, subtitles), or JSON sent as such. */
export interface MediaReply {
  contentType: string;
  body: Buffer | string;
}
