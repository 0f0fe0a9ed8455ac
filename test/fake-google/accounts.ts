import { createHash, randomBytes } from 'node:crypto';
import type { AccountSetup, OAuthAccountInput } from './types';

export type TierId = 'free-tier' | 'standard-tier';

export interface Account {
  email: string;
  refreshToken: string;
  clientId?: string;
  /** The project given at registration (free-tier: the one onboarding will create). */
  projectId?: string;
  setup: AccountSetup;
  accessTokenTtlSeconds?: number;
  /** Google's numeric account id, as userinfo reports it. */
  userId: string;
  /** Set once the account is onboarded: its tier and Code Assist project. */
  tier?: TierId;
  project?: string;
  /** Clients that already received this account's refresh token at a consent. */
  grantedClients: Set<string>;
}

interface IssuedToken {
  email: string;
  expiresAt: number;
}

/** Registered OAuth accounts and API keys, and the access tokens this fake has issued. */
export class Accounts {
  private readonly byEmail = new Map<string, Account>();
  private readonly byRefresh = new Map<string, Account>();
  private readonly tokens = new Map<string, IssuedToken>();
  private readonly revoked = new Set<string>();
  private readonly apiKeys = new Set<string>();
  private readonly refreshCounts = new Map<string, number>();

  constructor(private readonly defaultTtlSeconds: number) {}

  add(input: OAuthAccountInput): Account {
    const previous = this.byEmail.get(input.email);
    if (previous) this.byRefresh.delete(previous.refreshToken);
    const setup = input.setup ?? { kind: 'onboarded' };
    const account: Account = {
      email: input.email,
      refreshToken: input.refreshToken,
      clientId: input.clientId,
      projectId: input.projectId,
      setup,
      accessTokenTtlSeconds: input.accessTokenTtlSeconds,
      userId: digits(`user:${input.email}`, 21),
      grantedClients: new Set(),
    };
    if (setup.kind === 'onboarded') {
      account.tier = 'standard-tier';
      account.project = input.projectId ?? `fake-project-${slug(input.email)}`;
    }
    this.byEmail.set(account.email, account);
    this.byRefresh.set(account.refreshToken, account);
    return account;
  }

  list(): Account[] {
    return [...this.byEmail.values()];
  }

  get(email: string): Account | undefined {
    return this.byEmail.get(email);
  }

  byRefreshToken(refreshToken: string): Account | undefined {
    return this.byRefresh.get(refreshToken);
  }

  addApiKey(key: string): void {
    this.apiKeys.add(key);
  }

  hasApiKey(key: string): boolean {
    return this.apiKeys.has(key);
  }

  revoke(refreshToken: string): void {
    this.revoked.add(refreshToken);
  }

  /** A fresh consent issues a working refresh token again. */
  restore(refreshToken: string): void {
    this.revoked.delete(refreshToken);
  }

  isRevoked(refreshToken: string): boolean {
    return this.revoked.has(refreshToken);
  }

  noteRefresh(refreshToken: string): void {
    this.refreshCounts.set(refreshToken, (this.refreshCounts.get(refreshToken) ?? 0) + 1);
  }

  refreshCount(refreshToken: string): number {
    return this.refreshCounts.get(refreshToken) ?? 0;
  }

  clearCounts(): void {
    this.refreshCounts.clear();
  }

  issueAccessToken(account: Account): { accessToken: string; expiresIn: number } {
    const expiresIn = account.accessTokenTtlSeconds ?? this.defaultTtlSeconds;
    const accessToken = `ya29.fake-${randomBytes(18).toString('base64url')}`;
    this.tokens.set(accessToken, {
      email: account.email,
      expiresAt: Date.now() + expiresIn * 1000,
    });
    return { accessToken, expiresIn };
  }

  /** The account behind a live access token, from an `Authorization: Bearer` header. */
  fromAuthorization(header: string | undefined): Account | undefined {
    const match = /^Bearer\s+(\S+)$/i.exec(header ?? '');
    const issued = match ? this.tokens.get(match[1]) : undefined;
    if (!issued || issued.expiresAt <= Date.now()) return undefined;
    return this.byEmail.get(issued.email);
  }

  onboard(account: Account, tier: TierId, project: string): void {
    account.tier = tier;
    account.project = project;
  }
}

/** Stable decimal digits from a text, for ids that look like Google's. */
export function digits(text: string, length: number): string {
  const hex = createHash('sha256').update(text).digest('hex');
  return BigInt(`0x${hex}`).toString().slice(0, length);
}

function slug(email: string): string {
  return email
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}
