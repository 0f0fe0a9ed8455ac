import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsObject, IsString, Length, Matches, ValidateIf } from 'class-validator';

export const CREDENTIAL_KINDS = ['api-key', 'vertex-express', 'file'] as const;
export type CredentialInputKind = (typeof CREDENTIAL_KINDS)[number];

/** A file name that stays inside the folder and that the folder reads: `*.json`, no leading dot. */
export const CREDENTIAL_FILE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,120}\.json$/;

/** `POST /admin/api/credentials` (DESIGN §11): a key, or a credential file's JSON. */
export class AddCredentialDto {
  @ApiProperty({ enum: CREDENTIAL_KINDS })
  @IsIn(CREDENTIAL_KINDS)
  kind!: CredentialInputKind;

  @ApiPropertyOptional({
    description: 'The Gemini API key or Vertex express key (kind api-key, vertex-express)',
  })
  @ValidateIf((o: AddCredentialDto) => o.kind !== 'file')
  @IsString()
  @Length(8, 512)
  @Matches(/^[\x21-\x7e]+$/, { message: 'key must be printable ASCII without spaces' })
  key?: string;

  @ApiPropertyOptional({
    description: 'The file name in the folder (kind file)',
    example: 'oauth_creds_alice.json',
  })
  @ValidateIf((o: AddCredentialDto) => o.kind === 'file')
  @IsString()
  @Matches(CREDENTIAL_FILE_NAME, {
    message: 'name must be a file name ending in .json (letters, digits, . _ -)',
  })
  name?: string;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    description: "The file's JSON: an OAuth credential or a service-account key (kind file)",
  })
  @ValidateIf((o: AddCredentialDto) => o.kind === 'file')
  @IsObject()
  content?: Record<string, unknown>;
}

export class CredentialView {
  @ApiProperty() id!: string;
  @ApiProperty({ enum: ['oauth', 'api-key', 'vertex-express', 'vertex-service-account'] })
  kind!: string;
  @ApiProperty({ description: 'Account or key suffix; never the secret' }) label!: string;
  @ApiProperty({ enum: ['environment', 'file', 'database'] }) source!: string;
  @ApiProperty() disabled!: boolean;
  @ApiProperty({ description: 'False for credentials the environment defines' })
  removable!: boolean;
}

export class AddedCredential {
  @ApiProperty() id!: string;
  @ApiProperty() kind!: string;
  @ApiProperty() label!: string;
}
