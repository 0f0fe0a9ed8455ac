import { FakeGoogle } from './fake-google';
import type { AccountSetup } from './types';
import { accessToken, bearer, postJson, userTurn } from './spec-helpers';

const METADATA = {
  ideType: 'IDE_UNSPECIFIED',
  platform: 'PLATFORM_UNSPECIFIED',
  pluginType: 'GEMINI',
};

/** The fields these specs read from loadCodeAssist, onboardUser and operation answers. */
interface CodeAssistBody {
  name?: string;
  done?: boolean;
  currentTier?: unknown;
  response?: { cloudaicompanionProject: { id: string } };
  [key: string]: unknown;
}

describe('FakeGoogle: Code Assist onboarding', () => {
  let fake: FakeGoogle;
  let token: string;

  beforeEach(async () => {
    fake = await FakeGoogle.start();
  });

  afterEach(() => fake.close());

  async function signUp(setup: AccountSetup, projectId?: string): Promise<void> {
    fake.addOAuthAccount({
      email: 'carol@example.com',
      refreshToken: 'rt-carol',
      projectId,
      setup,
    });
    token = await accessToken(fake, 'rt-carol');
  }

  async function call(method: string, body: Record<string, unknown>) {
    const res = await postJson(`${fake.url}/v1internal:${method}`, body, bearer(token));
    return { status: res.status, body: (await res.json()) as CodeAssistBody };
  }

  async function poll(name: string) {
    const res = await fetch(`${fake.url}/v1internal/${name}`, { headers: bearer(token) });
    return (await res.json()) as CodeAssistBody;
  }

  const generateIn = (project: string) =>
    call('generateContent', { model: 'gemini-2.5-flash', project, request: userTurn('hi') });

  it('reports an onboarded account with its tier and project', async () => {
    await signUp({ kind: 'onboarded' }, 'proj-carol');
    const { body } = await call('loadCodeAssist', { metadata: METADATA });
    expect(body).toMatchObject({
      currentTier: { id: 'standard-tier' },
      cloudaicompanionProject: 'proj-carol',
    });
  });

  it('rejects loadCodeAssist without metadata as 400', async () => {
    await signUp({ kind: 'onboarded' }, 'proj-carol');
    expect((await call('loadCodeAssist', {})).status).toBe(400);
  });

  describe('free tier', () => {
    beforeEach(() => signUp({ kind: 'free-tier' }));

    it('offers free-tier as the default and no current tier', async () => {
      const { body } = await call('loadCodeAssist', { metadata: METADATA });
      expect(body.currentTier).toBeUndefined();
      expect(body.allowedTiers).toEqual([
        expect.objectContaining({ id: 'free-tier', isDefault: true }),
      ]);
    });

    it('fails onboarding that names a project with 400 Precondition Failed', async () => {
      const res = await call('onboardUser', {
        tierId: 'free-tier',
        cloudaicompanionProject: 'my-project',
        metadata: METADATA,
      });
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({
        error: { message: 'Precondition Failed', status: 'FAILED_PRECONDITION' },
      });
    });

    it('onboards through a polled operation and then serves the created project', async () => {
      const started = await call('onboardUser', { tierId: 'free-tier', metadata: METADATA });
      expect(started.body).toEqual({ name: expect.stringMatching(/^operations\//), done: false });
      const finished = await poll(started.body.name!);
      expect(finished).toMatchObject({
        done: true,
        response: { cloudaicompanionProject: { id: expect.any(String) } },
      });
      const project = finished.response!.cloudaicompanionProject.id;
      const { body } = await call('loadCodeAssist', { metadata: METADATA });
      expect(body).toMatchObject({
        currentTier: { id: 'free-tier' },
        cloudaicompanionProject: project,
      });
      expect((await generateIn(project)).status).toBe(200);
    });

    it('refuses generation before onboarding finished', async () => {
      expect((await generateIn('anything')).status).toBe(403);
    });
  });

  it('keeps the operation pending for pollsUntilDone polls', async () => {
    await signUp({ kind: 'free-tier', pollsUntilDone: 2 }, 'proj-free');
    const { body } = await call('onboardUser', { tierId: 'free-tier', metadata: METADATA });
    expect((await poll(body.name!)).done).toBe(false);
    expect(await poll(body.name!)).toMatchObject({
      done: true,
      response: { cloudaicompanionProject: { id: 'proj-free' } },
    });
  });

  describe('standard tier', () => {
    beforeEach(() => signUp({ kind: 'standard-tier' }));

    it('requires the user project to onboard', async () => {
      expect(
        (await call('onboardUser', { tierId: 'standard-tier', metadata: METADATA })).status,
      ).toBe(400);
    });

    it('onboards at once with the user project', async () => {
      const { body } = await call('onboardUser', {
        tierId: 'standard-tier',
        cloudaicompanionProject: 'my-gcp',
        metadata: METADATA,
      });
      expect(body).toMatchObject({
        done: true,
        response: { cloudaicompanionProject: { id: 'my-gcp' } },
      });
      expect((await generateIn('my-gcp')).status).toBe(200);
    });
  });

  describe('ineligible account', () => {
    beforeEach(() =>
      signUp({
        kind: 'ineligible',
        reasonCode: 'UNSUPPORTED_CLIENT',
        reasonMessage: 'Migrate to the Antigravity suite.',
        validationUrl: 'https://example.com/verify',
      }),
    );

    it('lists the reason, message and validation link', async () => {
      const { body } = await call('loadCodeAssist', { metadata: METADATA });
      expect(body).toMatchObject({
        allowedTiers: [],
        ineligibleTiers: [
          {
            reasonCode: 'UNSUPPORTED_CLIENT',
            reasonMessage: 'Migrate to the Antigravity suite.',
            tierId: 'free-tier',
            tierName: 'Gemini Code Assist for individuals',
            validationUrl: 'https://example.com/verify',
            validationUrlLinkText: expect.any(String),
          },
        ],
      });
      expect(body.currentTier).toBeUndefined();
    });

    it('refuses generation with 403 carrying the reason', async () => {
      const res = await generateIn('anything');
      expect(res.status).toBe(403);
      expect(res.body).toMatchObject({
        error: { details: [{ reason: 'UNSUPPORTED_CLIENT' }, {}] },
      });
    });
  });
});
