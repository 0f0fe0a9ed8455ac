import { RequestContext } from '../../request/request-context';
import { Global, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { AppConfigModule } from '../../config/config.module';
import type { GeminiResponse } from '../../upstream/gemini-types';
import type { FetchedMedia } from '../common/content-parts';
import { HttpMediaFetcher, MEDIA_FETCHER, MediaFetcher } from '../common/media-fetcher';
import type { ChatMessage } from './openai-types';
import {
  InMemoryThoughtSignatureStore,
  THOUGHT_SIGNATURE_STORE,
} from '../common/thought-signature-store';
import { TranslationModule } from '../translation.module';
import { OpenAITranslationService } from './openai-translation.service';

class FakeMediaFetcher implements MediaFetcher {
  readonly urls: string[] = [];
  async fetchMedia(url: string): Promise<FetchedMedia> {
    this.urls.push(url);
    return { mimeType: 'image/jpeg', data: '/9j/4AAQ' };
  }
}

const GEMINI3_CALL: GeminiResponse = {
  candidates: [
    {
      content: {
        role: 'model',
        parts: [
          {
            functionCall: { name: 'get_weather', args: { city: 'Oslo' } },
            thoughtSignature: 'CuIBAdHtim8',
          },
        ],
      },
      finishReason: 'STOP',
      index: 0,
    },
  ],
};

/** The app binds the signatures' store where it is composed; a single process keeps it in memory. */
@Global()
@Module({
  providers: [{ provide: THOUGHT_SIGNATURE_STORE, useClass: InMemoryThoughtSignatureStore }],
  exports: [THOUGHT_SIGNATURE_STORE],
})
class InMemoryStores {}

async function boot(fetcher?: MediaFetcher) {
  let builder = Test.createTestingModule({
    imports: [AppConfigModule.register(), InMemoryStores, TranslationModule],
  });
  if (fetcher) builder = builder.overrideProvider(MEDIA_FETCHER).useValue(fetcher);
  const moduleRef = await builder.compile();
  return moduleRef;
}

/** A client that stays. */
const client = () => new RequestContext();

function replay(callId: string): ChatMessage[] {
  return [
    { role: 'user', content: 'Weather in Oslo?' },
    {
      role: 'assistant',
      content: null,
      tool_calls: [
        {
          id: callId,
          type: 'function',
          function: { name: 'get_weather', arguments: '{"city":"Oslo"}' },
        },
      ],
    },
    { role: 'tool', tool_call_id: callId, content: '{"temp_c":-3}' },
  ];
}

describe('TranslationModule', () => {
  it('builds the HTTP media fetcher from the media config slice', async () => {
    const moduleRef = await boot();
    expect(moduleRef.get(MEDIA_FETCHER)).toBeInstanceOf(HttpMediaFetcher);
  });
});

describe('OpenAITranslationService', () => {
  it('fetches remote images through the injected media fetcher', async () => {
    const fake = new FakeMediaFetcher();
    const service = (await boot(fake)).get(OpenAITranslationService);
    const content = [
      { type: 'image_url' as const, image_url: { url: 'https://example.com/cat.jpg' } },
    ];
    const { request } = await service.toGeminiRequest(
      {
        model: 'gemini-2.5-flash',
        messages: [{ role: 'user', content }],
      },
      client(),
    );
    expect([fake.urls, request.contents[0].parts]).toEqual([
      ['https://example.com/cat.jpg'],
      [{ inlineData: { mimeType: 'image/jpeg', data: '/9j/4AAQ' } }],
    ]);
  });

  it('replays the thought signature of a call it answered, so Gemini 3 accepts the next turn', async () => {
    const service = (await boot(new FakeMediaFetcher())).get(OpenAITranslationService);
    const completion = service.toChatCompletion(GEMINI3_CALL, { model: 'gemini-3-pro-preview' });
    const callId = completion.choices[0].message.tool_calls![0].id;
    const { request } = await service.toGeminiRequest(
      {
        model: 'gemini-3-pro-preview',
        messages: replay(callId),
      },
      client(),
    );
    expect(request.contents[1].parts[0].thoughtSignature).toBe('CuIBAdHtim8');
  });

  it('replays the thought signature of a call it streamed', async () => {
    const service = (await boot(new FakeMediaFetcher())).get(OpenAITranslationService);
    const mapper = service.createStreamMapper({
      model: 'gemini-3-pro-preview',
      includeUsage: true,
    });
    const callId = mapper.map(GEMINI3_CALL)[0].choices[0].delta.tool_calls![0].id;
    const { request } = await service.toGeminiRequest(
      {
        model: 'gemini-3-pro-preview',
        messages: replay(callId),
      },
      client(),
    );
    expect(request.contents[1].parts[0].thoughtSignature).toBe('CuIBAdHtim8');
  });
});
