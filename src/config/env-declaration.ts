import { applyDecorators } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { IsIn } from 'class-validator/cjs/decorator/common/IsIn';
import { ValidateBy } from 'class-validator/cjs/decorator/common/ValidateBy';
import { Max } from 'class-validator/cjs/decorator/number/Max';
import { Min } from 'class-validator/cjs/decorator/number/Min';
import { Matches } from 'class-validator/cjs/decorator/string/Matches';
import { MinLength } from 'class-validator/cjs/decorator/string/MinLength';
import { IsBoolean } from 'class-validator/cjs/decorator/typechecker/IsBoolean';
import { IsInt } from 'class-validator/cjs/decorator/typechecker/IsInt';
import { IsString } from 'class-validator/cjs/decorator/typechecker/IsString';
import { isUrlWith, SIZE, toBool, toInt } from './env-values';

export { IsOptional as Optional } from 'class-validator/cjs/decorator/common/IsOptional';

/**
 * The vocabulary of `EnvironmentVariables`: `@Env` documents a variable, the others convert and
 * check it. Messages use class-validator's `$property` token, so each names its variable.
 */

export interface EnvOptions {
  /** Its value never appears in a start-up error (passwords, keys, URLs that may hold a password). */
  secret?: boolean;
  /** The documentation's default column, where the initial value does not say it (derived, unset). */
  defaultText?: string;
}

export interface DeclaredVariable extends EnvOptions {
  name: string;
  /** One line for the configuration table. */
  doc: string;
}

const declared = new WeakMap<object, DeclaredVariable[]>();
/** Numbers each `@Check`, as class-validator keys a variable's failures by constraint name. */
let checks = 0;

/** Declares a field as an environment variable, described by `doc`; the field's initial value is its default. */
export function Env(doc: string, options: EnvOptions = {}): PropertyDecorator {
  return (prototype, name) => {
    const list = declared.get(prototype.constructor) ?? [];
    list.push({ name: String(name), doc, ...options });
    declared.set(prototype.constructor, list);
  };
}

/** The variables a class declares, in the order it declares them. */
export function declaredVariables(type: abstract new () => object): readonly DeclaredVariable[] {
  return declared.get(type) ?? [];
}

/** An integer written in digits, within the bounds given. */
export function Int(min?: number, max?: number): PropertyDecorator {
  return applyDecorators(
    Transform(({ value }) => toInt(value)),
    IsInt(),
    ...(min === undefined ? [] : [Min(min)]),
    ...(max === undefined ? [] : [Max(max)]),
  );
}

/** true/false, 1/0, yes/no or on/off. */
export function Bool(): PropertyDecorator {
  return applyDecorators(
    Transform(({ value }) => toBool(value)),
    IsBoolean(),
  );
}

export function Text(minLength = 0): PropertyDecorator {
  return applyDecorators(IsString(), ...(minLength > 0 ? [MinLength(minLength)] : []));
}

/** An absolute URL with one of `schemes` and a host. */
export function Url(schemes: readonly string[] = ['http', 'https'], message?: string) {
  return ValidateBy({
    name: 'isUrlWith',
    constraints: [schemes],
    validator: {
      validate: (value) => isUrlWith(value, schemes),
      defaultMessage: () => message ?? '$property must be a URL address',
    },
  });
}

/** A byte size such as `24mb`, `512kb` or `1048576`; `example` leads the list the message gives. */
export function Size(example: string): PropertyDecorator {
  return Pattern(SIZE, `$property must look like ${example}, 512kb or 1048576`);
}

export function Pattern(pattern: RegExp, message: string): PropertyDecorator {
  return Matches(pattern, { message });
}

export function OneOf(values: readonly string[]): PropertyDecorator {
  return IsIn(values);
}

/**
 * Any other rule: `problem` returns what is wrong with the value (it sees the other variables,
 * already converted), or undefined when it is right. A thrown Error's message counts as the
 * problem, so a parser can serve as its own check.
 */
export function Check(
  problem: (value: unknown, env: Record<string, unknown>) => string | undefined,
): PropertyDecorator {
  const describe = (value: unknown, env: object): string | undefined => {
    try {
      return problem(value, env as Record<string, unknown>);
    } catch (error) {
      return error instanceof Error ? error.message : String(error);
    }
  };
  return ValidateBy({
    name: `check:${++checks}`,
    validator: {
      validate: (value, args) => describe(value, args?.object ?? {}) === undefined,
      defaultMessage: (args) => describe(args?.value, args?.object ?? {}) ?? '',
    },
  });
}

/** A value its parser accepts; the parser's Error message says what is wrong. */
export function Parses(parse: (raw: string) => unknown): PropertyDecorator {
  return Check((value) => {
    parse(String(value));
    return undefined;
  });
}
