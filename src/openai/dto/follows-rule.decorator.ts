import { ValidateBy } from 'class-validator';
import { RequestProblem } from './request-problem';

/** Marks a constraint message that carries a whole RequestProblem (see `problemFromMessage`). */
const PROBLEM_PREFIX = 'problem:';

/**
 * A class-validator constraint backed by a plain rule that names the exact field at fault
 * (`messages[3].content[0].image_url.url`), which class-validator's own path cannot reach for
 * values it is not allowed to copy. Only for top-level properties: the rule's param is absolute.
 */
export function FollowsRule(
  name: string,
  rule: (value: unknown) => RequestProblem | undefined,
): PropertyDecorator {
  return ValidateBy({
    name,
    validator: {
      validate: (value: unknown) => rule(value) === undefined,
      defaultMessage: (args) => PROBLEM_PREFIX + JSON.stringify(rule(args?.value)),
    },
  });
}

/** The RequestProblem a FollowsRule constraint reported, if the message is one. */
export function problemFromMessage(message: string): RequestProblem | undefined {
  if (!message.startsWith(PROBLEM_PREFIX)) return undefined;
  return JSON.parse(message.slice(PROBLEM_PREFIX.length)) as RequestProblem;
}
