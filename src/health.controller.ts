import { Controller, Get } from '@nestjs/common';
import { Public } from './auth/public.decorator';
import { CredentialPool } from './credentials/credential-pool';

@Controller()
export class HealthController {
  constructor(private readonly pool: CredentialPool) {}

  /**
   * Liveness for load balancers and Docker; says how many credentials are usable, nothing secret.
   * A credential rate-limited by Google (cooling) is not usable until its limit runs out.
   */
  @Public()
  @Get('health')
  health(): { status: 'ok'; credentials: number; usable: number } {
    const usable = this.pool.status().filter((s) => s.state === 'ok').length;
    return { status: 'ok', credentials: this.pool.size, usable };
  }
}
