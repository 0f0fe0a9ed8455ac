/**
 * Google's status names (google.rpc.Code) by HTTP status: the one table both the error bodies the
 * proxy writes and the classifier's reasons read. 413 and 415 are Google's INVALID_ARGUMENT (its
 * front end answers an oversized or mistyped body that way); 408 is a deadline, as Google names it.
 */
const GOOGLE_STATUS_NAMES: Readonly<Record<number, string>> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  408: 'DEADLINE_EXCEEDED',
  409: 'ABORTED',
  412: 'FAILED_PRECONDITION',
  413: 'INVALID_ARGUMENT',
  415: 'INVALID_ARGUMENT',
  429: 'RESOURCE_EXHAUSTED',
  499: 'CANCELLED',
  500: 'INTERNAL',
  501: 'UNIMPLEMENTED',
  503: 'UNAVAILABLE',
  504: 'DEADLINE_EXCEEDED',
};

const NAMES = new Set(Object.values(GOOGLE_STATUS_NAMES));

/** Google's name for an HTTP status, when the table has one. */
export function googleStatusName(status: number): string | undefined {
  return GOOGLE_STATUS_NAMES[status];
}

/** A status name for every HTTP status, for the errors the proxy raises itself. */
export function googleStatusFor(status: number): string {
  return googleStatusName(status) ?? (status >= 500 ? 'INTERNAL' : 'FAILED_PRECONDITION');
}

export function isGoogleStatusName(name: string): boolean {
  return NAMES.has(name);
}
