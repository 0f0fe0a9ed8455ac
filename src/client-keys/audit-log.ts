import { Inject, Injectable, Logger } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { randomUUID } from 'node:crypto';
import { passwordMatches, PresentedCredentials, presentedPasswords } from '../auth/password';
import { authConfig } from '../config/configuration';
import type { AuditTable } from '../database/database-schema';
import { Database } from '../database/database';

/** Who made a change: how they signed in, and from where. */
export interface AuditActor {
  actor: 'password' | 'cookie';
  address: string;
}

export interface AuditEntry {
  time: string;
  actor: string;
  address: string;
  action: string;
  target: string;
  detail: string | null;
}

const PAGE = 200;

/** Who changed which key or credential, and when, in the database (DESIGN §5 Administration). */
@Injectable()
export class AuditLog {
  private readonly logger = new Logger('Audit');

  constructor(
    private readonly database: Database,
    @Inject(authConfig.KEY) private readonly auth: ConfigType<typeof authConfig>,
  ) {}

  /** Only the password and the admin cookie reach /admin (the guard made sure): which one. */
  actorOf(request: PresentedCredentials & { address?: string }): AuditActor {
    const presented = presentedPasswords(request);
    return {
      actor: presented.some((p) => passwordMatches(p, this.auth.password)) ? 'password' : 'cookie',
      address: (request.address ?? 'unknown').slice(0, 64),
    };
  }

  /** Writes the entry; a database failure is logged, never the reason a change fails. */
  async record(who: AuditActor, action: string, target: string, detail?: string): Promise<void> {
    const row: AuditTable = {
      id: randomUUID(),
      time: Date.now(),
      actor: who.actor,
      address: who.address,
      action,
      target: target.slice(0, 200),
      detail: detail?.slice(0, 2000) ?? null,
    };
    this.logger.log(`${row.action} ${row.target} by ${row.actor} from ${row.address}`);
    try {
      await this.database.db.insertInto('audit_log').values(row).execute();
    } catch (error) {
      this.logger.warn(`Audit entry not written: ${this.database.describe(error)}`);
    }
  }

  async recent(): Promise<AuditEntry[]> {
    const rows = await this.database.db
      .selectFrom('audit_log')
      .selectAll()
      .orderBy('time', 'desc')
      .limit(PAGE)
      .execute();
    return rows.map((r) => ({
      time: new Date(Number(r.time)).toISOString(),
      actor: r.actor,
      address: r.address,
      action: r.action,
      target: r.target,
      detail: r.detail,
    }));
  }
}
