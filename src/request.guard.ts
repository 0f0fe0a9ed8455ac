import { CanActivate, ExecutionContext, Inject, Injectable, Optional } from '@nestjs/common';
import { PasswordGuard } from './auth/auth.guard';
import { REQUEST_ADMISSION, RequestAdmission } from './auth/request-admission';
import { BodyGuard } from './http/body.guard';

/**
 * The app's one global guard: the password, then the body, then the admission of a client key
 * (its models and limits, which need the body's `model`). One guard rather than several global
 * ones, whose order would follow the order their modules happen to be imported in; a stranger's
 * body is never read, so it costs neither BODY_BYTES_IN_FLIGHT nor time.
 */
@Injectable()
export class RequestGuard implements CanActivate {
  constructor(
    @Inject(PasswordGuard) private readonly password: Pick<PasswordGuard, 'canActivate'>,
    @Inject(BodyGuard) private readonly body: Pick<BodyGuard, 'canActivate'>,
    @Optional()
    @Inject(REQUEST_ADMISSION)
    private readonly admission?: RequestAdmission,
  ) {}

  canActivate(context: ExecutionContext): boolean | Promise<boolean> {
    if (!this.password.canActivate(context)) return false;
    const read = this.body.canActivate(context);
    if (!this.admission) return read;
    return typeof read === 'boolean'
      ? read && this.admit(context)
      : read.then((ok) => ok && this.admit(context));
  }

  private admit(context: ExecutionContext): boolean | Promise<boolean> {
    const admitted = this.admission?.admit(context);
    return admitted ? admitted.then(() => true) : true;
  }
}
