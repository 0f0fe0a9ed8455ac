import type { ExecutionContext } from '@nestjs/common';

/**
 * A last check of a request the password and the body guard let through (a client key's model list
 * and limits); throws the request's ApiError to refuse it. Owned here, below the features that
 * implement it, and bound where the app is composed.
 */
export interface RequestAdmission {
  admit(context: ExecutionContext): void | Promise<void>;
}

export const REQUEST_ADMISSION = Symbol('REQUEST_ADMISSION');
