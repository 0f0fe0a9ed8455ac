import { SetMetadata } from '@nestjs/common';

export const IS_PUBLIC = 'isPublic';

/** Marks a route that needs no proxy password (health checks, the generator pages). */
export const Public = () => SetMetadata(IS_PUBLIC, true);
