import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import type { ClientKeyTable } from '../database/database-schema';
import { ApiError } from '../errors/api-error';
import { AuditActor, AuditLog } from './audit-log';
import { limitsOf, newKeyId, newSecret, secretHash, secretHint } from './client-key';
import { CreateKeyDto, KeyView, KeyWithSecret, KeyWithUsage, UpdateKeyDto } from './client-key.dto';
import { ClientKeyLimits } from './client-key-limits';
import { ClientKeyRegistry } from './client-key-registry';
import { ClientKeyRepository, KeyChanges } from './client-key-repository';

const READY_WAIT_MS = 5_000;

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

function view(row: ClientKeyTable): KeyView {
  const limits = limitsOf(row);
  return {
    id: row.id,
    name: row.name,
    hint: row.secret_hint,
    ...limits,
    expires_at: iso(limits.expires_at),
    created_at: new Date(Number(row.created_at)).toISOString(),
    revoked_at: iso(row.revoked_at),
  };
}

function changesOf(dto: UpdateKeyDto): KeyChanges {
  const changes: KeyChanges = {};
  if (dto.name !== undefined) changes.name = dto.name;
  if (dto.models !== undefined)
    changes.models = dto.models === null ? null : JSON.stringify([...new Set(dto.models)]);
  for (const field of ['rpm', 'tpm', 'daily_tokens', 'monthly_tokens'] as const)
    if (dto[field] !== undefined) changes[field] = dto[field];
  if (dto.expires_at !== undefined)
    changes.expires_at = dto.expires_at === null ? null : Date.parse(dto.expires_at);
  return changes;
}

/** Creating, editing, revoking and rotating keys; each change audited and sent to every replica. */
@Injectable()
export class ClientKeysService {
  constructor(
    private readonly repository: ClientKeyRepository,
    private readonly registry: ClientKeyRegistry,
    private readonly limits: ClientKeyLimits,
    private readonly audit: AuditLog,
  ) {}

  async list(): Promise<KeyWithUsage[]> {
    await this.whenReady();
    const rows = await this.repository.all();
    return Promise.all(
      rows.map(async (row) => ({ ...view(row), usage: await this.limits.usage(row.id) })),
    );
  }

  async create(dto: CreateKeyDto, who: AuditActor): Promise<KeyWithSecret> {
    await this.whenReady();
    const secret = newSecret();
    const now = Date.now();
    const row: ClientKeyTable = {
      id: newKeyId(),
      name: dto.name,
      secret_hash: secretHash(secret),
      secret_hint: secretHint(secret),
      models: null,
      rpm: null,
      tpm: null,
      daily_tokens: null,
      monthly_tokens: null,
      expires_at: null,
      created_at: now,
      updated_at: now,
      revoked_at: null,
      ...changesOf(dto),
    };
    await this.repository.insert(row);
    await this.registry.changed();
    await this.audit.record(who, 'key.create', row.id, describeChanges(changesOf(dto)));
    return { ...view(row), key: secret };
  }

  async update(id: string, dto: UpdateKeyDto, who: AuditActor): Promise<KeyView> {
    await this.whenReady();
    await this.live(id);
    const changes = changesOf(dto);
    const row = await this.repository.update(id, changes, Date.now());
    if (!row) throw new NotFoundException(`No client key ${id}`);
    await this.registry.changed();
    await this.audit.record(who, 'key.update', id, describeChanges(changes));
    return view(row);
  }

  async revoke(id: string, who: AuditActor): Promise<KeyView> {
    await this.whenReady();
    const existing = await this.repository.find(id);
    if (!existing) throw new NotFoundException(`No client key ${id}`);
    if (existing.revoked_at !== null) return view(existing);
    const now = Date.now();
    const row = await this.repository.update(id, { revoked_at: now }, now);
    await this.registry.changed();
    await this.audit.record(who, 'key.revoke', id);
    return view(row ?? existing);
  }

  async rotate(id: string, who: AuditActor): Promise<KeyWithSecret> {
    await this.whenReady();
    await this.live(id);
    const secret = newSecret();
    const row = await this.repository.update(
      id,
      { secret_hash: secretHash(secret), secret_hint: secretHint(secret) },
      Date.now(),
    );
    if (!row) throw new NotFoundException(`No client key ${id}`);
    await this.registry.changed();
    await this.audit.record(who, 'key.rotate', id);
    return { ...view(row), key: secret };
  }

  private async live(id: string): Promise<ClientKeyTable> {
    const row = await this.repository.find(id);
    if (!row) throw new NotFoundException(`No client key ${id}`);
    if (row.revoked_at !== null)
      throw new ConflictException(`Client key ${id} is revoked; create a new one instead`);
    return row;
  }

  /**
   * Keys live in the database: a change waits a few seconds for it to be migrated (start-up),
   * then is refused rather than queued.
   */
  private async whenReady(): Promise<void> {
    if (this.repository.migrated) return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      this.repository.ready,
      new Promise((resolve) => (timer = setTimeout(resolve, READY_WAIT_MS))),
    ]);
    clearTimeout(timer);
    if (this.repository.migrated) return;
    throw new ApiError({
      status: 503,
      kind: 'internal',
      message: 'The database is not ready yet; client keys cannot be read or changed.',
      retryAfterSeconds: 2,
    });
  }
}

function describeChanges(changes: KeyChanges): string {
  return JSON.stringify(changes);
}
