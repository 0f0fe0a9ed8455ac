import { Module } from '@nestjs/common';
import { Clock, SystemClock } from './clock';

/** The one clock of the app: the pool, the stores and the admin cookie read the same time, and tests move it. */
@Module({
  providers: [{ provide: Clock, useClass: SystemClock }],
  exports: [Clock],
})
export class TimeModule {}
