import { Injectable } from '@nestjs/common';
import { ApiError } from '../errors/api-error';
import type { MultipartForm } from '../http/multipart-form';
import { ModelAliasesService } from '../models/model-aliases.service';
import { RequestContext } from '../request/request-context';
import { UpstreamDispatcher } from '../upstream/dispatcher';
import type { GeminiRequest, GeminiResponse } from '../upstream/gemini-types';
import {
  GeneratedImage,
  ImageInput,
  imagesOf,
  noImageError,
  toImageConfig,
  toImageRequest,
} from './image-mapper';
import { mediaModel } from './media-models';
import { formValues, IMAGE_EDIT } from './media-request-rules';
import { sniffImage } from './media-sniff';
import type { ImageGenerationRequest, ImagesResponse } from './media-types';

/** OpenAI's images routes on Gemini image models, each image one generateContent over the pool. */
@Injectable()
export class ImagesService {
  constructor(
    private readonly dispatcher: UpstreamDispatcher,
    private readonly aliases: ModelAliasesService,
  ) {}

  generate(req: ImageGenerationRequest, context: RequestContext): Promise<ImagesResponse> {
    const request = toImageRequest(req.prompt, toImageConfig(req.size, req.quality));
    return this.make(req, request, context);
  }

  edit(form: MultipartForm, context: RequestContext): Promise<ImagesResponse> {
    const req = formValues(form, IMAGE_EDIT, ['n']) as unknown as ImageGenerationRequest;
    const images = form.filesOf('image', 'image[]').map((f) => imageInput(f.data, f.filename));
    if (images.length === 0) {
      throw ApiError.badRequest(
        "Missing required parameter: 'image' (one or more files).",
        'image',
      );
    }
    const maskFile = form.filesOf('mask')[0];
    const mask = maskFile ? imageInput(maskFile.data, maskFile.filename, 'mask') : undefined;
    const config = toImageConfig(req.size, req.quality);
    return this.make(req, toImageRequest(req.prompt, config, images, mask), context);
  }

  /** `n` calls side by side: Gemini image models make one image per candidate and take no count. */
  private async make(
    req: ImageGenerationRequest,
    request: GeminiRequest,
    context: RequestContext,
  ): Promise<ImagesResponse> {
    const requested = req.model ?? 'gpt-image-1';
    const model = mediaModel(requested, (name) => this.aliases.resolve(name));
    const answers = await Promise.all(
      Array.from({ length: req.n ?? 1 }, () =>
        this.dispatcher.generate({ model, body: request, context }),
      ),
    );
    const images = answers.map((answer) => {
      const found = imagesOf(answer);
      if (found.length === 0) throw noImageError(answer);
      return found[0];
    });
    // OpenAI's dall-e models answer with URLs unless told otherwise; gpt-image-1 with base64.
    const format = req.response_format ?? (requested.startsWith('dall-e') ? 'url' : 'b64_json');
    return {
      created: Math.floor(Date.now() / 1000),
      data: images.map((image) => asData(image, format)),
      usage: usageOf(answers),
    };
  }
}

/** OpenAI's `url` answered as a data: URL: the proxy keeps no images to link to. */
function asData(image: GeneratedImage, format: 'url' | 'b64_json') {
  return format === 'url'
    ? { url: `data:${image.mimeType};base64,${image.data}` }
    : { b64_json: image.data };
}

function imageInput(data: Buffer, filename: string, param = 'image'): ImageInput {
  const mimeType = sniffImage(data);
  if (!mimeType) {
    throw ApiError.badRequest(
      `The file '${filename.slice(0, 80)}' in '${param}' is not a PNG, JPEG, WebP, HEIC or HEIF image.`,
      param,
    );
  }
  return { mimeType, data };
}

function usageOf(answers: readonly GeminiResponse[]): ImagesResponse['usage'] {
  let input = 0;
  let output = 0;
  let imageInput = 0;
  for (const { usageMetadata: usage } of answers) {
    input += usage?.promptTokenCount ?? 0;
    output += (usage?.candidatesTokenCount ?? 0) + (usage?.thoughtsTokenCount ?? 0);
    const details = usage?.promptTokensDetails;
    if (Array.isArray(details)) {
      for (const d of details as { modality?: string; tokenCount?: number }[]) {
        if (d.modality === 'IMAGE') imageInput += d.tokenCount ?? 0;
      }
    }
  }
  return {
    total_tokens: input + output,
    input_tokens: input,
    output_tokens: output,
    input_tokens_details: { text_tokens: input - imageInput, image_tokens: imageInput },
  };
}
