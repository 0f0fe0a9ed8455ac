import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { ApiError } from '../errors/api-error';
import type { KeyWithUsage } from './client-key.dto';

const LIMIT_FIELDS = ['rpm', 'tpm', 'daily_tokens', 'monthly_tokens'] as const;

/** A form's fields as the API's DTO: numbers from text, blanks as "no limit". */
export function fromForm(form: Record<string, unknown>, editing: boolean): Record<string, unknown> {
  const blank = editing ? null : undefined;
  const text = (name: string) => {
    const value = form[name];
    return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
  };
  const out: Record<string, unknown> = {};
  if (text('name') !== undefined || !editing) out.name = text('name') ?? '';
  const models = text('models');
  out.models = models ? models.split(/[\s,]+/).filter(Boolean) : blank;
  for (const field of LIMIT_FIELDS) {
    const value = text(field);
    out[field] = value === undefined ? blank : Number(value);
  }
  const expires = text('expires_at');
  out.expires_at = expires ? new Date(expires).toISOString() : blank;
  return out;
}

export async function validated<T extends object>(type: new () => T, plain: object): Promise<T> {
  const dto = plainToInstance(type, plain);
  const errors = await validate(dto, { whitelist: true, forbidNonWhitelisted: true });
  if (errors.length > 0)
    throw ApiError.badRequest(
      errors.flatMap((e) => Object.values(e.constraints ?? {})).join('; ') || 'Invalid form',
    );
  return dto;
}

function limitText(used: number, limit: number | null): string {
  return limit === null ? `${used}` : `${used} / ${limit}`;
}

export function keyRow(k: KeyWithUsage) {
  const expired = k.expires_at !== null && Date.parse(k.expires_at) <= Date.now();
  return {
    ...k,
    models: k.models?.join(', ') ?? '',
    state: k.revoked_at ? 'revoked' : expired ? 'expired' : 'active',
    live: !k.revoked_at,
    expiresInput: k.expires_at?.slice(0, 16) ?? '',
    use: {
      rpm: limitText(k.usage.rpm, k.rpm),
      tpm: limitText(k.usage.tpm, k.tpm),
      daily: limitText(k.usage.daily_tokens, k.daily_tokens),
      monthly: limitText(k.usage.monthly_tokens, k.monthly_tokens),
    },
  };
}
