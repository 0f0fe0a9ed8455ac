import { randomBytes } from 'node:crypto';
import { digits, type Account, type Accounts, type TierId } from './accounts';
import { errorInfo, googleError, helpLinks, projectDenied } from './google-errors';
import type { Answer } from './route';
import { isRecord } from './types';

const TIERS: Record<TierId, Record<string, unknown>> = {
  'free-tier': {
    id: 'free-tier',
    name: 'Gemini Code Assist for individuals',
    description: 'Unlimited coding assistant with the most powerful Gemini models',
    userDefinedCloudaicompanionProject: false,
  },
  'standard-tier': {
    id: 'standard-tier',
    name: 'Gemini Code Assist',
    description: 'Unlimited coding assistant with the most powerful Gemini models',
    userDefinedCloudaicompanionProject: true,
  },
};

interface Operation {
  name: string;
  email: string;
  project: string;
  polls: number;
  pollsUntilDone: number;
  done: boolean;
}

/**
 * Code Assist's entitlement calls (`loadCodeAssist`, `onboardUser`, operations), following
 * gemini-cli's setup.ts: free-tier is onboarded without a project through a polled LRO,
 * standard-tier needs the user's project, ineligible accounts only get reasons.
 */
export class Onboarding {
  private readonly operations = new Map<string, Operation>();

  constructor(private readonly accounts: Accounts) {}

  load(account: Account, body: Record<string, unknown>): Answer {
    if (!isRecord(body.metadata)) return missingMetadata();
    if (account.tier && account.project) {
      const tier = TIERS[account.tier];
      return ok({
        currentTier: tier,
        allowedTiers: [{ ...tier, isDefault: true }],
        cloudaicompanionProject: account.project,
        gcpManaged: false,
      });
    }
    const { setup } = account;
    switch (setup.kind) {
      case 'onboarded':
      case 'free-tier':
        return ok({
          allowedTiers: [{ ...TIERS['free-tier'], isDefault: true }],
          gcpManaged: false,
        });
      case 'standard-tier':
        return ok({ allowedTiers: [{ ...TIERS['standard-tier'], isDefault: true }] });
      case 'ineligible':
        return ok({
          allowedTiers: [],
          ineligibleTiers: [
            {
              reasonCode: setup.reasonCode,
              reasonMessage: setup.reasonMessage,
              tierId: 'free-tier',
              tierName: 'Gemini Code Assist for individuals',
              ...(setup.validationUrl
                ? {
                    validationUrl: setup.validationUrl,
                    validationUrlLinkText: 'Verify your account',
                  }
                : {}),
            },
          ],
        });
    }
  }

  onboard(account: Account, body: Record<string, unknown>): Answer {
    if (!isRecord(body.metadata)) return missingMetadata();
    const project = body.cloudaicompanionProject;
    const requested = typeof project === 'string' && project !== '' ? project : undefined;
    if (account.tier && account.project) {
      return ok(doneOperation(newOperationName(), account.project));
    }
    const { setup } = account;
    if (setup.kind === 'ineligible')
      return ineligible(setup.reasonCode, setup.reasonMessage, setup.validationUrl);
    const tierId = setup.kind === 'standard-tier' ? 'standard-tier' : 'free-tier';
    if (body.tierId !== tierId) {
      return { status: 400, body: googleError(400, `Invalid tier id: ${String(body.tierId)}.`) };
    }
    if (tierId === 'standard-tier') {
      if (!requested) {
        return {
          status: 400,
          body: googleError(400, 'cloudaicompanionProject is required for standard-tier.'),
        };
      }
      if (account.projectId !== undefined && requested !== account.projectId) {
        return { status: 403, body: projectDenied(requested) };
      }
      this.accounts.onboard(account, 'standard-tier', requested);
      return ok(doneOperation(newOperationName(), requested));
    }
    // gemini-cli PR #6113: a free-tier onboarding that names a project fails this way.
    if (requested) {
      return {
        status: 400,
        body: googleError(400, 'Precondition Failed', undefined, 'FAILED_PRECONDITION'),
      };
    }
    return ok(
      this.startFreeTier(account, setup.kind === 'free-tier' ? setup.pollsUntilDone : undefined),
    );
  }

  poll(account: Account, name: string): Answer {
    const operation = this.operations.get(name);
    if (!operation || operation.email !== account.email) {
      return { status: 404, body: googleError(404) };
    }
    operation.polls += 1;
    if (operation.polls >= operation.pollsUntilDone) this.finish(operation, account);
    return ok(operationBody(operation));
  }

  /** Why a generate call from this account may not use `project`, or undefined when it may. */
  projectDenial(account: Account, project: unknown): Answer | undefined {
    const { setup } = account;
    if (setup.kind === 'ineligible') {
      return ineligible(setup.reasonCode, setup.reasonMessage, setup.validationUrl);
    }
    if (account.project !== undefined && project === account.project) return undefined;
    return { status: 403, body: projectDenied(typeof project === 'string' ? project : '') };
  }

  private startFreeTier(account: Account, pollsUntilDone = 1): unknown {
    const pending = [...this.operations.values()].find(
      (op) => op.email === account.email && !op.done,
    );
    if (pending) return operationBody(pending);
    const operation: Operation = {
      name: newOperationName(),
      email: account.email,
      project: account.projectId ?? `gen-lang-client-${digits(`project:${account.email}`, 10)}`,
      polls: 0,
      pollsUntilDone,
      done: false,
    };
    this.operations.set(operation.name, operation);
    if (pollsUntilDone <= 0) this.finish(operation, account);
    return operationBody(operation);
  }

  private finish(operation: Operation, account: Account): void {
    if (operation.done) return;
    operation.done = true;
    this.accounts.onboard(account, 'free-tier', operation.project);
  }
}

function ok(body: unknown): Answer {
  return { status: 200, body };
}

function missingMetadata(): Answer {
  return { status: 400, body: googleError(400, '* metadata: metadata is required\n') };
}

function ineligible(reason: string, message: string, validationUrl?: string): Answer {
  const details: unknown[] = [errorInfo(reason, 'cloudaicompanion.googleapis.com')];
  if (validationUrl)
    details.push(helpLinks([{ description: 'Verify your account', url: validationUrl }]));
  return { status: 403, body: googleError(403, message, details) };
}

function newOperationName(): string {
  return `operations/${randomBytes(12).toString('hex')}`;
}

function operationBody(operation: Operation): unknown {
  return operation.done
    ? doneOperation(operation.name, operation.project)
    : { name: operation.name, done: false };
}

function doneOperation(name: string, project: string): unknown {
  return {
    name,
    done: true,
    response: {
      '@type': 'type.googleapis.com/google.internal.cloud.code.v1internal.OnboardUserResponse',
      cloudaicompanionProject: { id: project, name: project },
    },
  };
}
