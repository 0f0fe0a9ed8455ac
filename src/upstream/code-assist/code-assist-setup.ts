/**
 * Finds (and if needed creates) the Code Assist project a Google account works in, the way
 * gemini-cli's `setup.ts` does in 2026 (reference/upstream.md §2.3). The network sits behind
 * `CodeAssistSetupApi` so the flow can be tested against an in-memory fake.
 */

export interface UserTier {
  id: string;
  name?: string;
  isDefault?: boolean;
  /** The tier needs the user's own Google Cloud project (standard-tier, legacy-tier). */
  userDefinedCloudaicompanionProject?: boolean | null;
  [key: string]: unknown;
}

export interface IneligibleTier {
  reasonCode: string;
  reasonMessage: string;
  tierId?: string;
  tierName?: string;
  validationUrl?: string;
  validationUrlLinkText?: string;
  [key: string]: unknown;
}

export interface LoadCodeAssistResponse {
  currentTier?: UserTier | null;
  allowedTiers?: UserTier[] | null;
  ineligibleTiers?: IneligibleTier[] | null;
  cloudaicompanionProject?: string | { id?: string; name?: string } | null;
  paidTier?: UserTier | null;
  [key: string]: unknown;
}

export interface LongRunningOperation {
  name?: string;
  done?: boolean;
  response?: {
    cloudaicompanionProject?: string | { id?: string; name?: string } | null;
    [key: string]: unknown;
  };
  error?: { code?: number; message?: string };
  [key: string]: unknown;
}

export interface CodeAssistSetupApi {
  loadCodeAssist(body: Record<string, unknown>): Promise<LoadCodeAssistResponse>;
  onboardUser(body: Record<string, unknown>): Promise<LongRunningOperation>;
  getOperation(name: string): Promise<LongRunningOperation>;
}

export interface CodeAssistSetupOptions {
  /** A project the user chose (GOOGLE_CLOUD_PROJECT or the credential file's project_id). */
  projectId?: string;
  sleep?(ms: number): Promise<void>;
  pollIntervalMs?: number;
  maxPolls?: number;
}

export interface CodeAssistSetup {
  projectId: string;
  tierId: string;
  /** True when this call had to run onboardUser; false when the account was already set up. */
  onboarded: boolean;
}

/** The account may not use Code Assist; `reasons` are Google's `ineligibleTiers`, verbatim. */
export class IneligibleAccountError extends Error {
  readonly reasons: {
    reasonCode: string;
    reasonMessage: string;
    tierId?: string;
    validationUrl?: string;
    validationUrlLinkText?: string;
  }[];
  /** Where the account owner can fix it, e.g. the VALIDATION_REQUIRED sign-in link. */
  readonly fixUrl?: string;

  constructor(tiers: IneligibleTier[]) {
    super(
      `Google refused Code Assist for this account: ${tiers.map((t) => t.reasonMessage).join('; ')}`,
    );
    this.name = 'IneligibleAccountError';
    this.reasons = tiers.map((t) => ({
      reasonCode: t.reasonCode,
      reasonMessage: t.reasonMessage,
      tierId: t.tierId,
      validationUrl: t.validationUrl,
      validationUrlLinkText: t.validationUrlLinkText,
    }));
    this.fixUrl = tiers.find((t) => t.validationUrl)?.validationUrl;
  }
}

export class ProjectRequiredError extends Error {
  constructor(tierId?: string, ineligible: IneligibleTier[] = []) {
    const others = ineligible.length
      ? ` Other tiers are unavailable: ${ineligible.map((t) => t.reasonMessage).join('; ')}`
      : '';
    super(
      `This account's Code Assist tier${tierId ? ` (${tierId})` : ''} needs a Google Cloud project: ` +
        `set GOOGLE_CLOUD_PROJECT or type a project id for this credential.${others}`,
    );
    this.name = 'ProjectRequiredError';
  }
}

export class OnboardingTimeoutError extends Error {
  constructor(polls: number, operation?: string) {
    super(
      `Code Assist onboarding did not finish after ${polls} polls${operation ? ` of ${operation}` : ''}; try again later.`,
    );
    this.name = 'OnboardingTimeoutError';
  }
}

export interface ClientMetadata {
  ideType: 'IDE_UNSPECIFIED';
  platform: 'PLATFORM_UNSPECIFIED';
  pluginType: 'GEMINI';
  duetProject?: string;
}

/** gemini-cli's metadata; PLATFORM_UNSPECIFIED is what fixed discovery (GewoonJaap/gemini-cli-openai #93). */
export function clientMetadata(projectId?: string): ClientMetadata {
  const metadata: ClientMetadata = {
    ideType: 'IDE_UNSPECIFIED',
    platform: 'PLATFORM_UNSPECIFIED',
    pluginType: 'GEMINI',
  };
  if (projectId) metadata.duetProject = projectId;
  return metadata;
}

const FREE_TIER = 'free-tier';
/** gemini-cli's fallback when no tier is marked default; it always needs the user's project. */
const LEGACY_TIER: UserTier = { id: 'legacy-tier', userDefinedCloudaicompanionProject: true };

export async function setUpCodeAssistProject(
  api: CodeAssistSetupApi,
  opts: CodeAssistSetupOptions = {},
): Promise<CodeAssistSetup> {
  const projectId = opts.projectId || undefined;
  const load = await api.loadCodeAssist(
    withProject({ metadata: clientMetadata(projectId) }, projectId),
  );
  const ineligible = load.ineligibleTiers ?? [];

  if (load.currentTier) {
    const project = projectIdOf(load.cloudaicompanionProject) ?? projectId;
    if (!project) throw ineligibleOrProjectRequired(ineligible, load.currentTier.id);
    return {
      projectId: project,
      tierId: load.paidTier?.id ?? load.currentTier.id,
      onboarded: false,
    };
  }

  const allowed = load.allowedTiers ?? [];
  // gemini-cli stops on VALIDATION_REQUIRED whatever else is allowed, since only the account owner can
  // clear it; with no tier allowed at all (the 2026 UNSUPPORTED_CLIENT sunset) nothing can be onboarded.
  const needsValidation = ineligible.some(
    (t) => t.reasonCode === 'VALIDATION_REQUIRED' && t.validationUrl,
  );
  if (needsValidation || (allowed.length === 0 && ineligible.length > 0)) {
    throw new IneligibleAccountError(ineligible);
  }

  const tier = allowed.find((t) => t.isDefault) ?? LEGACY_TIER;
  if (tier.userDefinedCloudaicompanionProject && !projectId) {
    throw new ProjectRequiredError(tier.id, ineligible);
  }
  // free-tier runs in a Google-managed project; sending one answers 400 "Precondition Failed"
  // (gemini-cli PR #6113), so the request carries bare metadata.
  const request =
    tier.id === FREE_TIER
      ? { tierId: tier.id, metadata: clientMetadata() }
      : withProject({ tierId: tier.id, metadata: clientMetadata(projectId) }, projectId);
  const operation = await onboard(api, request, opts);
  const project = projectIdOf(operation.response?.cloudaicompanionProject) ?? projectId;
  // Never fall back on a placeholder: the seed's "unknown_project" only moved the failure to a 403 later.
  if (!project) throw ineligibleOrProjectRequired(ineligible, tier.id);
  return { projectId: project, tierId: tier.id, onboarded: true };
}

async function onboard(
  api: CodeAssistSetupApi,
  request: Record<string, unknown>,
  opts: CodeAssistSetupOptions,
): Promise<LongRunningOperation> {
  const sleep =
    opts.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const interval = opts.pollIntervalMs ?? 5000;
  const maxPolls = opts.maxPolls ?? 24;
  let operation = await api.onboardUser(request);
  let name = operation.name;
  for (let polls = 0; !operation.done; polls++) {
    if (polls >= maxPolls) throw new OnboardingTimeoutError(polls, name);
    await sleep(interval);
    // A named operation is polled with GET; a pending answer with neither name nor done can only
    // be asked again with the same request (gemini-cli's behaviour, aaif-goose/goose PR #11088).
    operation = name ? await api.getOperation(name) : await api.onboardUser(request);
    name = operation.name ?? name;
  }
  if (operation.error) {
    throw new Error(
      `Code Assist onboarding failed: ${operation.error.message ?? `code ${operation.error.code}`}`,
    );
  }
  return operation;
}

function ineligibleOrProjectRequired(ineligible: IneligibleTier[], tierId: string): Error {
  return ineligible.length > 0
    ? new IneligibleAccountError(ineligible)
    : new ProjectRequiredError(tierId);
}

/** loadCodeAssist answers a string; the onboarding operation answers `{id, name}`. */
function projectIdOf(value: LoadCodeAssistResponse['cloudaicompanionProject']): string | undefined {
  const id = typeof value === 'string' ? value : value?.id;
  return id || undefined;
}

function withProject(
  body: Record<string, unknown>,
  projectId: string | undefined,
): Record<string, unknown> {
  return projectId ? { ...body, cloudaicompanionProject: projectId } : body;
}
