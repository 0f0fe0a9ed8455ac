import type { TransformerPackage } from '@nestjs/common/interfaces/external/transformer-package.interface';
import { instanceToPlain, plainToInstance } from 'class-transformer';

const referenceKeys = new WeakMap<object, Set<string>>();
const originals = new WeakMap<object, unknown>();

/**
 * Marks a top-level DTO property whose value class-validator should see as it came, without
 * class-transformer's deep copy: chat messages and embedding inputs can be megabytes of base64 or
 * text, and rebuilding them per request costs time and memory for nothing. A property marked so
 * needs a validator that checks the plain value in place.
 */
export function ByReference(): PropertyDecorator {
  return (target, key) => {
    const keys = referenceKeys.get(target.constructor) ?? new Set<string>();
    keys.add(String(key));
    referenceKeys.set(target.constructor, keys);
  };
}

/**
 * class-transformer for ValidationPipe, minus the copies: properties marked @ByReference are
 * put on the instance as they are, and the body handed to the controller is the very object
 * that was parsed, not a copy of the validated instance.
 */
export const referenceKeepingTransformer: TransformerPackage = {
  plainToInstance<T>(cls: new () => T, plain: unknown, options?: object): T | T[] {
    const keys = referenceKeys.get(cls);
    if (!keys || !isPlainRecord(plain)) return plainToInstance(cls, plain, options);
    const rest: Record<string, unknown> = {};
    for (const key of Object.keys(plain)) if (!keys.has(key)) rest[key] = plain[key];
    const entity: T = plainToInstance(cls, rest, options);
    const target = entity as Record<string, unknown>;
    for (const key of keys) if (key in plain) target[key] = plain[key];
    originals.set(target, plain);
    return entity;
  },
  classToPlain(object: unknown, options?: object) {
    const original =
      typeof object === 'object' && object !== null ? originals.get(object) : undefined;
    return (original as Record<string, unknown> | undefined) ?? instanceToPlain(object, options);
  },
};

function isPlainRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
