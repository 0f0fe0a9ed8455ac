import { CompletedRequest, formatRequestLine, requestLogFields } from './request-record';

function completed(overrides: Partial<CompletedRequest> = {}): CompletedRequest {
  return {
    method: 'POST',
    route: '/v1beta/models/:modelAction',
    startedAt: 0,
    attempts: 2,
    model: 'gemini-2.5-pro',
    credentialId: 'ada@example.com/proj-ada',
    tokens: { prompt: 12, completion: 40, thoughts: 7, cached: 0 },
    firstTokenMs: 301.4,
    status: 200,
    durationMs: 812.6,
    aborted: false,
    ...overrides,
  };
}

describe('formatRequestLine', () => {
  it('puts route, status, duration, model, credential, attempts, tokens and first-token time on one line', () => {
    expect(formatRequestLine(completed())).toBe(
      'POST /v1beta/models/:modelAction 200 813ms model=gemini-2.5-pro credential=ada@example.com/proj-ada ' +
        'attempts=2 tokens=12/40/7 ttft=301ms',
    );
  });

  it('leaves out what the request never had', () => {
    expect(
      formatRequestLine(
        completed({
          model: undefined,
          credentialId: undefined,
          attempts: 0,
          tokens: undefined,
          firstTokenMs: undefined,
        }),
      ),
    ).toBe('POST /v1beta/models/:modelAction 200 813ms');
  });

  it('puts the model Google served beside the one asked for when they differ', () => {
    expect(formatRequestLine(completed({ servedModel: 'gemini-3.8-flash' }))).toContain(
      'model=gemini-2.5-pro served=gemini-3.8-flash credential=',
    );
  });

  it('says nothing more when Google served the model asked for', () => {
    expect(formatRequestLine(completed({ servedModel: 'gemini-2.5-pro' }))).not.toContain(
      'served=',
    );
  });

  it('says when the client left and how a stream ended', () => {
    expect(formatRequestLine(completed({ aborted: true, stream: 'aborted' }))).toMatch(
      /^POST \S+ aborted 813ms .* stream=aborted$/,
    );
  });
});

describe('requestLogFields', () => {
  it('gives the same facts as a flat object with every field present', () => {
    expect(requestLogFields(completed({ tokens: undefined, stream: 'complete' }))).toEqual({
      event: 'request',
      method: 'POST',
      route: '/v1beta/models/:modelAction',
      status: 200,
      aborted: false,
      durationMs: 813,
      model: 'gemini-2.5-pro',
      servedModel: null,
      credential: 'ada@example.com/proj-ada',
      attempts: 2,
      tokens: null,
      firstTokenMs: 301,
      stream: 'complete',
    });
  });
});

describe('requestLogFields with a served model', () => {
  it('names the model Google served, equal or not', () => {
    expect(requestLogFields(completed({ servedModel: 'gemini-3.8-flash' }))).toMatchObject({
      model: 'gemini-2.5-pro',
      servedModel: 'gemini-3.8-flash',
    });
  });
});
