import {
  clientMetadata,
  CodeAssistSetupApi,
  IneligibleAccountError,
  IneligibleTier,
  LoadCodeAssistResponse,
  LongRunningOperation,
  OnboardingTimeoutError,
  ProjectRequiredError,
  setUpCodeAssistProject,
} from './code-assist-setup';

/** An in-memory Code Assist: answers from scripts and records every call. */
class FakeCodeAssist implements CodeAssistSetupApi {
  readonly calls: { method: string; arg: unknown }[] = [];
  private readonly onboardAnswers: LongRunningOperation[];
  private readonly operationAnswers: LongRunningOperation[];

  constructor(
    private readonly load: LoadCodeAssistResponse,
    script: { onboard?: LongRunningOperation[]; operations?: LongRunningOperation[] } = {},
  ) {
    this.onboardAnswers = [...(script.onboard ?? [])];
    this.operationAnswers = [...(script.operations ?? [])];
  }

  async loadCodeAssist(body: Record<string, unknown>): Promise<LoadCodeAssistResponse> {
    this.calls.push({ method: 'loadCodeAssist', arg: body });
    return this.load;
  }

  async onboardUser(body: Record<string, unknown>): Promise<LongRunningOperation> {
    this.calls.push({ method: 'onboardUser', arg: body });
    return next(this.onboardAnswers);
  }

  async getOperation(name: string): Promise<LongRunningOperation> {
    this.calls.push({ method: 'getOperation', arg: name });
    return next(this.operationAnswers);
  }

  callsTo(method: string): unknown[] {
    return this.calls.filter((c) => c.method === method).map((c) => c.arg);
  }
}

/** The last scripted answer repeats, so "always pending" needs one entry. */
function next(answers: LongRunningOperation[]): LongRunningOperation {
  if (answers.length === 0) throw new Error('unscripted call');
  return answers.length > 1 ? answers.shift()! : answers[0];
}

function recordingSleep() {
  const slept: number[] = [];
  return { slept, sleep: async (ms: number) => void slept.push(ms) };
}

const METADATA = {
  ideType: 'IDE_UNSPECIFIED',
  platform: 'PLATFORM_UNSPECIFIED',
  pluginType: 'GEMINI',
};
const FREE_TIER = { id: 'free-tier', name: 'Gemini Code Assist for individuals', isDefault: true };
const STANDARD_TIER = {
  id: 'standard-tier',
  name: 'Gemini Code Assist',
  isDefault: true,
  userDefinedCloudaicompanionProject: true,
};
const OPERATION = 'operations/onboard-123';
const DONE_WITH_PROJECT: LongRunningOperation = {
  name: OPERATION,
  done: true,
  response: { cloudaicompanionProject: { id: 'wise-river-123', name: 'wise-river-123' } },
};

/** The 2026 sunset as loadCodeAssist reported it (reference/upstream.md §11.2). */
const UNSUPPORTED_CLIENT: IneligibleTier = {
  reasonCode: 'UNSUPPORTED_CLIENT',
  tierId: 'free-tier',
  tierName: 'Gemini Code Assist for individuals',
  reasonMessage:
    'This client is no longer supported for Gemini Code Assist for individuals. To continue using Gemini, please migrate to the Antigravity suite of products: https://antigravity.google',
};
const VALIDATION_URL = 'https://accounts.google.com/signin/continue?sarp=1&plt=AKgnsb';
const VALIDATION_REQUIRED: IneligibleTier = {
  reasonCode: 'VALIDATION_REQUIRED',
  tierId: 'free-tier',
  reasonMessage: 'Verify your account to continue.',
  validationUrl: VALIDATION_URL,
  validationUrlLinkText: 'Verify your account',
};

describe('setUpCodeAssistProject for an account already set up', () => {
  it('returns the project loadCodeAssist reports without onboarding', async () => {
    const api = new FakeCodeAssist({
      currentTier: FREE_TIER,
      cloudaicompanionProject: 'wise-river-123',
    });
    expect(await setUpCodeAssistProject(api)).toEqual({
      projectId: 'wise-river-123',
      tierId: 'free-tier',
      onboarded: false,
    });
    expect(api.callsTo('onboardUser')).toEqual([]);
  });

  it('reports the paid tier when Google names one', async () => {
    const api = new FakeCodeAssist({
      currentTier: FREE_TIER,
      paidTier: { id: 'g1-pro-tier' },
      cloudaicompanionProject: 'p',
    });
    expect((await setUpCodeAssistProject(api)).tierId).toBe('g1-pro-tier');
  });

  it('sends the chosen project and metadata naming it', async () => {
    const api = new FakeCodeAssist({ currentTier: STANDARD_TIER, cloudaicompanionProject: 'acme' });
    await setUpCodeAssistProject(api, { projectId: 'acme' });
    expect(api.callsTo('loadCodeAssist')).toEqual([
      { cloudaicompanionProject: 'acme', metadata: { ...METADATA, duetProject: 'acme' } },
    ]);
  });

  it('sends bare metadata when no project was chosen', async () => {
    const api = new FakeCodeAssist({ currentTier: FREE_TIER, cloudaicompanionProject: 'p' });
    await setUpCodeAssistProject(api);
    expect(api.callsTo('loadCodeAssist')).toEqual([{ metadata: METADATA }]);
  });

  it('falls back on the chosen project when loadCodeAssist names none', async () => {
    const api = new FakeCodeAssist({ currentTier: STANDARD_TIER });
    expect((await setUpCodeAssistProject(api, { projectId: 'acme' })).projectId).toBe('acme');
  });

  it('reads a project given as an object', async () => {
    const api = new FakeCodeAssist({
      currentTier: STANDARD_TIER,
      cloudaicompanionProject: { id: 'acme', name: 'Acme' },
    });
    expect((await setUpCodeAssistProject(api)).projectId).toBe('acme');
  });

  it('surfaces the ineligible tiers when no project is known', async () => {
    const api = new FakeCodeAssist({
      currentTier: STANDARD_TIER,
      ineligibleTiers: [UNSUPPORTED_CLIENT],
    });
    await expect(setUpCodeAssistProject(api)).rejects.toBeInstanceOf(IneligibleAccountError);
  });

  it('asks for a project when no project is known and no tier is refused', async () => {
    const api = new FakeCodeAssist({ currentTier: STANDARD_TIER });
    await expect(setUpCodeAssistProject(api)).rejects.toBeInstanceOf(ProjectRequiredError);
  });
});

describe('setUpCodeAssistProject onboarding the free tier', () => {
  const load: LoadCodeAssistResponse = {
    allowedTiers: [FREE_TIER, { ...STANDARD_TIER, isDefault: false }],
  };

  it('sends onboardUser without a project, even when one was chosen (gemini-cli PR #6113)', async () => {
    const api = new FakeCodeAssist(load, { onboard: [DONE_WITH_PROJECT] });
    await setUpCodeAssistProject(api, { projectId: 'acme' });
    expect(api.callsTo('onboardUser')).toEqual([{ tierId: 'free-tier', metadata: METADATA }]);
  });

  it('polls a named operation until done and takes its project', async () => {
    const api = new FakeCodeAssist(load, {
      onboard: [{ name: OPERATION, done: false }],
      operations: [{ name: OPERATION, done: false }, DONE_WITH_PROJECT],
    });
    const { sleep } = recordingSleep();
    expect(await setUpCodeAssistProject(api, { sleep })).toEqual({
      projectId: 'wise-river-123',
      tierId: 'free-tier',
      onboarded: true,
    });
    expect(api.callsTo('getOperation')).toEqual([OPERATION, OPERATION]);
  });

  it('waits the poll interval before every poll', async () => {
    const api = new FakeCodeAssist(load, {
      onboard: [{ name: OPERATION }],
      operations: [{ name: OPERATION }, DONE_WITH_PROJECT],
    });
    const { sleep, slept } = recordingSleep();
    await setUpCodeAssistProject(api, { sleep, pollIntervalMs: 250 });
    expect(slept).toEqual([250, 250]);
  });

  it('re-posts the same request while the answer has neither name nor done (goose PR #11088)', async () => {
    const api = new FakeCodeAssist(load, {
      onboard: [{}, {}, { done: true, response: { cloudaicompanionProject: { id: 'p-1' } } }],
    });
    const { sleep } = recordingSleep();
    expect((await setUpCodeAssistProject(api, { sleep })).projectId).toBe('p-1');
    expect(api.callsTo('onboardUser')).toEqual(
      Array(3).fill({ tierId: 'free-tier', metadata: METADATA }),
    );
  });

  it('gives up after maxPolls with OnboardingTimeoutError', async () => {
    const api = new FakeCodeAssist(load, {
      onboard: [{ name: OPERATION }],
      operations: [{ name: OPERATION, done: false }],
    });
    const { sleep } = recordingSleep();
    await expect(setUpCodeAssistProject(api, { sleep, maxPolls: 3 })).rejects.toBeInstanceOf(
      OnboardingTimeoutError,
    );
    expect(api.callsTo('getOperation')).toHaveLength(3);
  });

  it('refuses to invent a project when the finished operation names none', async () => {
    const api = new FakeCodeAssist(load, { onboard: [{ done: true, response: {} }] });
    await expect(setUpCodeAssistProject(api)).rejects.toBeInstanceOf(ProjectRequiredError);
  });

  it("fails with Google's message when the operation finished with an error", async () => {
    const api = new FakeCodeAssist(load, {
      onboard: [{ done: true, error: { code: 9, message: 'Precondition Failed' } }],
    });
    await expect(setUpCodeAssistProject(api)).rejects.toThrow('Precondition Failed');
  });
});

describe("setUpCodeAssistProject onboarding a tier that needs the user's project", () => {
  it('asks for a project before onboarding when none was chosen', async () => {
    const api = new FakeCodeAssist({ allowedTiers: [STANDARD_TIER] });
    await expect(setUpCodeAssistProject(api)).rejects.toThrow(/GOOGLE_CLOUD_PROJECT/);
    expect(api.callsTo('onboardUser')).toEqual([]);
  });

  it('tells why the free tier is closed when it asks for a project (2026 sunset)', async () => {
    const api = new FakeCodeAssist({
      allowedTiers: [STANDARD_TIER],
      ineligibleTiers: [UNSUPPORTED_CLIENT],
      cloudaicompanionProject: 'gen-lang-client-0157873998',
    });
    await expect(setUpCodeAssistProject(api)).rejects.toThrow(/no longer supported/);
  });

  it('onboards with the chosen project in the request and the metadata', async () => {
    const api = new FakeCodeAssist(
      { allowedTiers: [STANDARD_TIER] },
      { onboard: [{ done: true, response: { cloudaicompanionProject: { id: 'acme' } } }] },
    );
    expect(await setUpCodeAssistProject(api, { projectId: 'acme' })).toEqual({
      projectId: 'acme',
      tierId: 'standard-tier',
      onboarded: true,
    });
    expect(api.callsTo('onboardUser')).toEqual([
      {
        tierId: 'standard-tier',
        cloudaicompanionProject: 'acme',
        metadata: { ...METADATA, duetProject: 'acme' },
      },
    ]);
  });

  it('keeps the chosen project when the finished operation names none', async () => {
    const api = new FakeCodeAssist(
      { allowedTiers: [STANDARD_TIER] },
      { onboard: [{ done: true }] },
    );
    expect((await setUpCodeAssistProject(api, { projectId: 'acme' })).projectId).toBe('acme');
  });

  it('falls back on legacy-tier, which needs a project, when no tier is default', async () => {
    const api = new FakeCodeAssist({ allowedTiers: [] });
    await expect(setUpCodeAssistProject(api)).rejects.toThrow(/legacy-tier/);
  });
});

describe('setUpCodeAssistProject for an ineligible account', () => {
  it("throws IneligibleAccountError with Google's reasons when no tier is allowed (UNSUPPORTED_CLIENT)", async () => {
    const api = new FakeCodeAssist({ allowedTiers: [], ineligibleTiers: [UNSUPPORTED_CLIENT] });
    const error = await setUpCodeAssistProject(api).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IneligibleAccountError);
    expect((error as IneligibleAccountError).reasons).toEqual([
      {
        reasonCode: 'UNSUPPORTED_CLIENT',
        reasonMessage: UNSUPPORTED_CLIENT.reasonMessage,
        tierId: 'free-tier',
        validationUrl: undefined,
        validationUrlLinkText: undefined,
      },
    ]);
  });

  it('does not try to onboard an account with no allowed tier', async () => {
    const api = new FakeCodeAssist({ ineligibleTiers: [UNSUPPORTED_CLIENT] });
    await setUpCodeAssistProject(api).catch(() => undefined);
    expect(api.callsTo('onboardUser')).toEqual([]);
  });

  it('links to the verification page on VALIDATION_REQUIRED, even with a tier allowed', async () => {
    const api = new FakeCodeAssist({
      allowedTiers: [FREE_TIER],
      ineligibleTiers: [VALIDATION_REQUIRED],
    });
    const error = await setUpCodeAssistProject(api).catch((e: unknown) => e);
    expect([
      error instanceof IneligibleAccountError,
      (error as IneligibleAccountError).fixUrl,
    ]).toEqual([true, VALIDATION_URL]);
  });
});

describe('clientMetadata', () => {
  it('names the project as duetProject when there is one', () => {
    expect(clientMetadata('acme')).toEqual({ ...METADATA, duetProject: 'acme' });
  });

  it('leaves duetProject out when there is no project', () => {
    expect(clientMetadata()).toEqual(METADATA);
  });
});
