import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsOptional } from 'class-validator';
import type { UsageGroup } from './usage-repository';
import type { Bucket } from './usage-totals';

export const BUCKETS: readonly Bucket[] = ['hour', 'day'];
export const GROUPS: readonly UsageGroup[] = ['credential', 'model', 'client', 'dialect'];
export const FORMATS = ['json', 'csv'] as const;

/** `GET /admin/api/usage`'s query (DESIGN §11). */
export class UsageQueryDto {
  @ApiPropertyOptional({
    description: 'Start of the range, ISO 8601; default 24 hours before `to`',
    example: '2026-12-06T00:00:00Z',
  })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'from must be an ISO 8601 date-time' })
  from?: string;

  @ApiPropertyOptional({ description: 'End of the range (exclusive), ISO 8601; default now' })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'to must be an ISO 8601 date-time' })
  to?: string;

  @ApiPropertyOptional({ enum: BUCKETS, default: 'hour' })
  @IsOptional()
  @IsIn(BUCKETS)
  bucket?: Bucket;

  @ApiPropertyOptional({ enum: GROUPS, default: 'credential' })
  @IsOptional()
  @IsIn(GROUPS)
  group?: UsageGroup;

  @ApiPropertyOptional({ enum: FORMATS, default: 'json', description: '`csv`: the rows as CSV' })
  @IsOptional()
  @IsIn(FORMATS)
  format?: (typeof FORMATS)[number];
}
