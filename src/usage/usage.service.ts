import { Injectable } from '@nestjs/common';
import { Database } from '../database/database';
import { ApiError } from '../errors/api-error';
import { UsageQueryDto } from './usage-query.dto';
import { UsageRepository } from './usage-repository';
import { reportRow, UsageReport } from './usage-report';
import { bucketSize } from './usage-totals';

const DEFAULT_RANGE_MS = 24 * 3_600_000;
/** Enough for a year of days or a quarter of hours, and never a multi-megabyte answer. */
const MAX_BUCKETS = 2_400;

/** Answers the usage API from the hourly and daily totals. */
@Injectable()
export class UsageService {
  constructor(
    private readonly repository: UsageRepository,
    private readonly database: Database,
  ) {}

  async report(query: UsageQueryDto, now = Date.now()): Promise<UsageReport> {
    const bucket = query.bucket ?? 'hour';
    const group = query.group ?? 'credential';
    const to = query.to === undefined ? now : Date.parse(query.to);
    const from = query.from === undefined ? to - DEFAULT_RANGE_MS : Date.parse(query.from);
    if (!(from < to)) throw ApiError.badRequest('from must be before to', 'from');
    if ((to - from) / bucketSize(bucket) > MAX_BUCKETS) {
      throw ApiError.badRequest(
        `The range holds more than ${MAX_BUCKETS} ${bucket}s; narrow it or use bucket=day`,
        'from',
      );
    }
    const rows = await this.repository.totals({ from, to, bucket, group }).catch((error) => {
      throw this.unavailable(error);
    });
    return {
      from: new Date(from).toISOString(),
      to: new Date(to).toISOString(),
      bucket,
      group,
      rows: rows.map(reportRow),
    };
  }

  /** The database's failure as a 503 that names it, without the password DATABASE_URL may hold. */
  private unavailable(error: unknown): ApiError {
    const reason = this.database.migrationError ?? this.database.describe(error);
    return new ApiError({
      status: 503,
      kind: 'upstream',
      message: `The usage database (${this.database.engine}) cannot be read now: ${reason}`,
      retryAfterSeconds: 5,
    });
  }
}
