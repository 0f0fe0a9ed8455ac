import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { PasswordGuard } from './auth/auth.guard';
import { BodyGuard } from './http/body.guard';

/**
 * The app's one global guard: the password, then the body. One guard rather than two global ones,
 * whose order would follow the order their modules happen to be imported in; a stranger's body is
 * never read, so it costs neither BODY_BYTES_IN_FLIGHT nor time.
 */
@Injectable()
export class RequestGuard implements CanActivate {
  constructor(
    @Inject(PasswordGuard) private readonly password: Pick<PasswordGuard, 'canActivate'>,
    @Inject(BodyGuard) private readonly body: Pick<BodyGuard, 'canActivate'>,
  ) {}

  canActivate(context: ExecutionContext): boolean | Promise<boolean> {
    if (!this.password.canActivate(context)) return false;
    return this.body.canActivate(context);
  }
}
