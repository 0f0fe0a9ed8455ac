import { Inject, Injectable, Logger } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { AdminCookie } from '../auth/admin-cookie';
import { authConfig } from '../config/configuration';
import { Clock } from '../credentials/clock';
import { CredentialPool } from '../credentials/credential-pool';
import { ApiError } from '../errors/api-error';
import { AdminPage, adminPage } from './admin-page';
import { AdminCredential, AdminStatus, toAdminStatus } from './admin-view';

/** The pool's status for people: the JSON view, the page's model, and re-enabling a credential. */
@Injectable()
export class AdminService {
  private readonly logger = new Logger('Admin');
  private readonly cookie: AdminCookie;

  constructor(
    private readonly pool: CredentialPool,
    private readonly clock: Clock,
    @Inject(authConfig.KEY) auth: ConfigType<typeof authConfig>,
  ) {
    this.cookie = new AdminCookie(auth.password);
  }

  status(): AdminStatus {
    return toAdminStatus(this.pool.status(), this.clock.now());
  }

  /** The sign-in cookie's value for a `?key=` that is the proxy password; undefined otherwise. */
  signInCookie(key: string): string | undefined {
    return this.cookie.valueFor(key);
  }

  page(options: { enabled?: string }): AdminPage {
    const now = this.clock.now();
    return adminPage(toAdminStatus(this.pool.status(), now), { ...options, now });
  }

  /** Clears the credential's disabled mark and every cooldown it has. */
  enable(id: string): AdminCredential {
    if (!this.pool.enable(id))
      throw ApiError.notFound(`No credential with id ${id} is in the pool.`);
    this.logger.log(`Re-enabled ${id} by request`);
    const found = this.status().credentials.find((c) => c.id === id);
    if (!found) throw ApiError.notFound(`No credential with id ${id} is in the pool.`);
    return found;
  }
}
