import { ArgumentMetadata, ValidationError, ValidationPipe } from '@nestjs/common';
import { ApiError } from '../errors/api-error';
import { referenceKeepingTransformer } from './dto/by-reference';
import { problemFromMessage } from './dto/follows-rule.decorator';
import { RequestProblem } from './dto/request-problem';

/**
 * Validates `/v1` bodies against their DTOs and answers a malformed one with OpenAI's 400, naming
 * the field in `param`. Unknown fields are tolerated (clients send many we do not use), and the
 * controller receives the parsed body itself, not a copy.
 */
export class OpenAIValidationPipe extends ValidationPipe {
  constructor() {
    super({
      whitelist: false,
      forbidNonWhitelisted: false,
      transform: false,
      // Values tell a missing field from a wrong one; they are references, never copies.
      validationError: { target: false, value: true },
      transformerPackage: referenceKeepingTransformer,
      exceptionFactory: (errors) => toBadRequest(errors),
    });
  }

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (
      metadata.type === 'body' &&
      (typeof value !== 'object' || value === null || Array.isArray(value))
    ) {
      throw ApiError.badRequest('The request body must be a JSON object.');
    }
    return super.transform(value, metadata);
  }
}

/** A wrong type says more than a range check that failed because of it, so it is reported first. */
const TYPE_CONSTRAINTS = [
  'isString',
  'isNumber',
  'isInt',
  'isBoolean',
  'isObject',
  'isArray',
  'nestedValidation',
];
const VALUE_CONSTRAINTS = new Set(['isIn', 'min', 'max', 'isNotEmpty']);

/** The first validation error as OpenAI reports it. */
export function toBadRequest(errors: ValidationError[]): ApiError {
  const problem = firstProblem(errors, '') ?? {
    param: '',
    message: 'The request body is not valid.',
    code: 'invalid_value',
  };
  return new ApiError({
    status: 400,
    kind: 'invalid_request',
    message: problem.message,
    param: problem.param || undefined,
    code: problem.code,
  });
}

function firstProblem(errors: ValidationError[], parent: string): RequestProblem | undefined {
  for (const error of errors) {
    const param = joinPath(parent, error.property);
    const constraint = firstConstraint(error.constraints ?? {});
    if (constraint) return problemFor(error, param, constraint);
    const nested = firstProblem(error.children ?? [], param);
    if (nested) return nested;
  }
  return undefined;
}

function firstConstraint(
  constraints: Record<string, string>,
): { name: string; message: string } | undefined {
  const names = Object.keys(constraints);
  const name = TYPE_CONSTRAINTS.find((n) => n in constraints) ?? names[0];
  return name === undefined ? undefined : { name, message: constraints[name] };
}

function problemFor(
  error: ValidationError,
  param: string,
  { name, message }: { name: string; message: string },
): RequestProblem {
  const reported = problemFromMessage(message);
  if (reported) return reported;
  if (error.value === undefined) {
    return {
      param,
      message: `Missing required parameter: '${param}'.`,
      code: 'missing_required_parameter',
    };
  }
  // class-validator starts its messages with the bare property name; the full path is in front.
  const reason = message.startsWith(`${error.property} `)
    ? message.slice(error.property.length + 1)
    : message;
  const code = VALUE_CONSTRAINTS.has(name) ? 'invalid_value' : 'invalid_type';
  return { param, message: `Invalid '${param}': ${reason}.`, code };
}

function joinPath(parent: string, property: string): string {
  if (/^\d+$/.test(property)) return `${parent}[${property}]`;
  return parent ? `${parent}.${property}` : property;
}
