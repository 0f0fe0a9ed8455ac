import { plainToInstance } from 'class-transformer';
import type { ValidationError } from 'class-validator';
import { Validator } from 'class-validator/cjs/validation/Validator';
import { declaredVariables } from './env-declaration';
import { EnvironmentVariables } from './environment-variables';

export class ConfigValidationError extends Error {}

const VARIABLES = declaredVariables(EnvironmentVariables);
const ORDER = new Map(VARIABLES.map((v, i) => [v.name, i]));
/** A variable declared without `secret` whose name says it is one still keeps its value out of errors. */
const SECRET_NAME = /PASSWORD|SECRET|TOKEN|KEYS?$/;
const SECRET = new Set(
  VARIABLES.filter((v) => v.secret === true || SECRET_NAME.test(v.name)).map((v) => v.name),
);

/** Converts, checks and fills in the defaults of every declared variable; throws one line naming each bad one. */
export function validateEnvironment(raw: Record<string, unknown>): EnvironmentVariables {
  const given: Record<string, unknown> = {};
  for (const { name } of VARIABLES) {
    // An empty value means "use the default", as in most .env conventions.
    if (raw[name] !== undefined && raw[name] !== '') given[name] = raw[name];
  }
  const env = plainToInstance(EnvironmentVariables, given, { exposeDefaultValues: true });
  const errors = new Validator().validateSync(env);
  if (errors.length > 0) {
    const lines = errors
      .sort((a, b) => (ORDER.get(a.property) ?? 0) - (ORDER.get(b.property) ?? 0))
      .map(describe);
    throw new ConfigValidationError(`Invalid configuration: ${lines.join(' | ')}`);
  }
  return env;
}

function describe({ property, value, constraints }: ValidationError): string {
  const shown = SECRET.has(property) ? '' : ` (got ${JSON.stringify(value)})`;
  return `${property}: ${Object.values(constraints ?? {}).join('; ')}${shown}`;
}
