import { ConflictException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { rm, stat } from 'node:fs/promises';
import * as path from 'node:path';
import { AuditActor, AuditLog } from '../client-keys/audit-log';
import { credentialsConfig } from '../config/configuration';
import { Credential, describeCredential } from '../credentials/credential';
import { CredentialFileStore, OAUTH_FILE_PATTERN } from '../credentials/credential-file-store';
import { parseCredential } from '../credentials/credential-parser';
import { CredentialPool } from '../credentials/credential-pool';
import { CredentialsService } from '../credentials/credentials.service';
import { DatabaseCredentialSource } from '../credentials/sources/database-credential-source';
import { isServiceAccountKey, parseServiceAccount } from '../credentials/service-account';
import { ApiError } from '../errors/api-error';
import { AddCredentialDto, AddedCredential, CredentialView } from './credential-input.dto';

/** Only to tell an OAuth file from others; the pool parses it with the configured client. */
const ANY_CLIENT = { clientId: 'x', clientSecret: 'x' };

function kindOf(c: Credential): string {
  if (c.kind !== 'vertex') return c.kind;
  return c.mode === 'express' ? 'vertex-express' : 'vertex-service-account';
}

function sourceFileOf(c: Credential): string | undefined {
  return (c as { sourceFile?: string }).sourceFile;
}

/**
 * The pool changed at run time (DESIGN §11): keys go into the database, files into the
 * credential folder as if dropped there; what the environment defines is shown, never removed.
 */
@Injectable()
export class RuntimeCredentialsService {
  private readonly folder: string;

  constructor(
    private readonly credentials: CredentialsService,
    private readonly pool: CredentialPool,
    private readonly files: CredentialFileStore,
    private readonly stored: DatabaseCredentialSource,
    private readonly audit: AuditLog,
    @Inject(credentialsConfig.KEY) private readonly config: ConfigType<typeof credentialsConfig>,
  ) {
    this.folder = path.resolve(config.storagePath);
  }

  list(): CredentialView[] {
    const views = this.pool.list().map((c) => this.view(c));
    for (const s of this.stored.stored()) {
      const credential = this.stored.credentialFor(s.id);
      if (s.disabled && credential) views.push({ ...this.view(credential), disabled: true });
    }
    return views;
  }

  async add(dto: AddCredentialDto, who: AuditActor): Promise<AddedCredential> {
    if (dto.kind === 'file') return this.addFile(dto.name!, dto.content!, who);
    if (!this.stored.migrated)
      throw new ApiError({
        status: 503,
        kind: 'internal',
        message: 'The database is not ready yet; try again shortly.',
        retryAfterSeconds: 2,
      });
    const added = await this.stored.add(dto.kind, dto.key!);
    if (!added || this.isDefinedElsewhere(added.id))
      throw new ConflictException('That key is in the pool already.');
    await this.credentials.reload();
    await this.audit.record(who, 'credential.add', added.id, dto.kind);
    return { id: added.id, kind: kindOf(added), label: describeCredential(added) };
  }

  async remove(id: string, who: AuditActor): Promise<void> {
    if (this.stored.has(id)) {
      await this.stored.remove(id);
    } else {
      const credential = this.pool.get(id);
      if (!credential) throw new NotFoundException(`No credential ${id}`);
      const file = this.removableFile(credential);
      if (!file)
        throw new ConflictException(
          `Credential ${id} is defined in the environment; change the environment to remove it.`,
        );
      await rm(file, { force: true });
    }
    await this.credentials.reload();
    await this.audit.record(who, 'credential.remove', id);
  }

  async setDisabled(id: string, disabled: boolean, who: AuditActor): Promise<CredentialView> {
    if (this.stored.has(id)) {
      await this.stored.setDisabled(id, disabled);
      await this.credentials.reload();
    } else {
      if (!this.pool.get(id)) throw new NotFoundException(`No credential ${id}`);
      if (disabled) this.pool.disable(id, { reason: 'operator', message: 'Disabled on /admin' });
      else this.pool.enable(id);
    }
    await this.audit.record(who, disabled ? 'credential.disable' : 'credential.enable', id);
    const view = this.list().find((v) => v.id === id);
    if (!view) throw new NotFoundException(`No credential ${id}`);
    return view;
  }

  private view(c: Credential): CredentialView {
    const source = this.stored.has(c.id)
      ? 'database'
      : this.removableFile(c)
        ? 'file'
        : 'environment';
    return {
      id: c.id,
      kind: kindOf(c),
      label: describeCredential(c),
      source,
      disabled: this.pool.isDisabled(c.id),
      removable: source !== 'environment',
    };
  }

  /** The folder file a credential came from, unless the environment named it. */
  private removableFile(c: Credential): string | undefined {
    const file = sourceFileOf(c);
    if (!file || file === this.config.applicationCredentials) return undefined;
    return path.dirname(path.resolve(file)) === this.folder ? file : undefined;
  }

  private isDefinedElsewhere(id: string): boolean {
    return this.pool.list().some((c) => c.id === id) && !this.stored.has(id);
  }

  private async addFile(
    name: string,
    content: Record<string, unknown>,
    who: AuditActor,
  ): Promise<AddedCredential> {
    if (!this.credentials.usesFiles)
      throw new ConflictException(
        'CREDENTIALS_JSON_LIST is set, so the credential folder is not read; add the file there instead.',
      );
    let fileName = name;
    if (isServiceAccountKey(content)) {
      const account = parseServiceAccount(content, this.config.vertexLocation);
      if (!account.ok)
        throw ApiError.badRequest(`The service-account key ${account.problem}.`, 'content');
    } else {
      const parsed = parseCredential(content, ANY_CLIENT);
      if (!parsed.ok || parsed.credential.kind !== 'oauth')
        throw ApiError.badRequest(
          'content must be an OAuth credential (with a refresh_token) or a service-account key; add API keys with kind "api-key".',
          'content',
        );
      // The folder reads OAuth files by their name.
      if (!OAUTH_FILE_PATTERN.test(fileName)) fileName = `oauth_creds_${fileName}`;
    }
    const file = path.join(this.folder, fileName);
    if (
      await stat(file).then(
        () => true,
        () => false,
      )
    )
      throw new ConflictException(`${fileName} is in the folder already; remove it first.`);
    await this.files.ensureDir();
    await this.files.writeJson(file, content);
    await this.credentials.reload();
    const added = this.pool.list().find((c) => sourceFileOf(c) === file);
    if (!added) {
      await rm(file, { force: true });
      throw ApiError.badRequest('The pool could not use that file; it was not kept.', 'content');
    }
    await this.audit.record(who, 'credential.add', added.id, `file ${fileName}`);
    return { id: added.id, kind: kindOf(added), label: describeCredential(added) };
  }
}
