import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  IsArray,
  IsInt,
  IsISO8601,
  IsOptional,
  IsString,
  Length,
  Max,
  Min,
} from 'class-validator';

const MAX_LIMIT = 1e15;

/**
 * The limits shared by creation and edits. On an edit an absent field is left as it is and
 * `null` removes the limit.
 */
class KeyLimitsDto {
  @ApiPropertyOptional({
    type: [String],
    nullable: true,
    description: 'Models the key may use (names or aliases); absent or null: every model',
    example: ['gemini-2.5-flash'],
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(200)
  @IsString({ each: true })
  @Length(1, 200, { each: true })
  models?: string[] | null;

  @ApiPropertyOptional({ nullable: true, description: 'Requests per sliding 60 s' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(MAX_LIMIT)
  rpm?: number | null;

  @ApiPropertyOptional({ nullable: true, description: "Google's tokens per sliding 60 s" })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(MAX_LIMIT)
  tpm?: number | null;

  @ApiPropertyOptional({ nullable: true, description: 'Tokens per UTC day' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(MAX_LIMIT)
  daily_tokens?: number | null;

  @ApiPropertyOptional({ nullable: true, description: 'Tokens per UTC month' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(MAX_LIMIT)
  monthly_tokens?: number | null;

  @ApiPropertyOptional({ nullable: true, description: 'ISO 8601; the key stops working then' })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'expires_at must be an ISO 8601 date-time' })
  expires_at?: string | null;
}

export class CreateKeyDto extends KeyLimitsDto {
  @ApiProperty({ description: 'Who or what the key is for', example: 'alice-laptop' })
  @IsString()
  @Length(1, 200)
  name!: string;
}

export class UpdateKeyDto extends KeyLimitsDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(1, 200)
  name?: string;
}

/** A key as lists show it: never its secret. */
export class KeyView {
  @ApiProperty() id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ description: "The secret's last 4 characters" }) hint!: string;
  @ApiProperty({ type: [String], nullable: true }) models!: string[] | null;
  @ApiProperty({ nullable: true }) rpm!: number | null;
  @ApiProperty({ nullable: true }) tpm!: number | null;
  @ApiProperty({ nullable: true }) daily_tokens!: number | null;
  @ApiProperty({ nullable: true }) monthly_tokens!: number | null;
  @ApiProperty({ nullable: true }) expires_at!: string | null;
  @ApiProperty() created_at!: string;
  @ApiProperty({ nullable: true }) revoked_at!: string | null;
}

/** Creation and rotation: the only answers that carry the secret. */
export class KeyWithSecret extends KeyView {
  @ApiProperty({ description: 'The secret, shown this once', example: 'sk-gp-…' }) key!: string;
}

export class KeyUsageView {
  @ApiProperty() rpm!: number;
  @ApiProperty() tpm!: number;
  @ApiProperty() daily_tokens!: number;
  @ApiProperty() monthly_tokens!: number;
}

export class KeyWithUsage extends KeyView {
  @ApiProperty({ type: KeyUsageView, description: 'Use in each window of its limits' })
  usage!: KeyUsageView;
}
