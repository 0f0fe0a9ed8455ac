import { IsIn, IsISO8601, IsOptional, Matches } from 'class-validator';
import { GROUPS } from '../usage/usage-query.dto';
import type { UsageGroup } from '../usage/usage-repository';
import type { UsageRange } from './usage-page';

const RANGES: readonly UsageRange[] = ['48h', '30d', 'custom'];
const DATE = /^\d{4}-\d\d-\d\d$/;

/** `GET /admin/usage`'s query: a preset range, or the date picker's first and last day. */
export class UsagePageQueryDto {
  @IsOptional()
  @IsIn(RANGES)
  range?: UsageRange;

  @IsOptional()
  @Matches(DATE, { message: 'from must be a date, YYYY-MM-DD' })
  @IsISO8601({ strict: true }, { message: 'from must be a date, YYYY-MM-DD' })
  from?: string;

  @IsOptional()
  @Matches(DATE, { message: 'to must be a date, YYYY-MM-DD' })
  @IsISO8601({ strict: true }, { message: 'to must be a date, YYYY-MM-DD' })
  to?: string;

  @IsOptional()
  @IsIn(GROUPS)
  group?: UsageGroup;
}
