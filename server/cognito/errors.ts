import 'server-only';

// Cognito's exceptions, as the rest of the app sees them: a domain error with a code. Nothing outside
// server/cognito looks at SDK exception classes.

export type IdentityErrorCode =
  | 'member_exists'
  | 'member_not_found'
  | 'group_exists'
  | 'not_found'
  | 'not_authorized'
  | 'invalid_parameter'
  | 'invalid_password'
  | 'code_mismatch'
  | 'expired'
  | 'password_reset_required'
  | 'rate_limited'
  | 'limit_exceeded'
  | 'trigger_failed'
  | 'conflict'
  | 'misconfigured'
  | 'unavailable'
  | 'access_denied'
  | 'unknown';

export class IdentityError extends Error {
  constructor(
    readonly code: IdentityErrorCode,
    message: string,
    /** Cognito's exception name (or the network error code), for logs. */
    readonly source?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'IdentityError';
  }

  /** Worth trying again later: throttled, or the backend did not answer. */
  get retryable(): boolean {
    return this.code === 'rate_limited' || this.code === 'unavailable';
  }
}

const BY_EXCEPTION: Record<string, IdentityErrorCode> = {
  UsernameExistsException: 'member_exists',
  AliasExistsException: 'member_exists',
  UserNotFoundException: 'member_not_found',
  GroupExistsException: 'group_exists',
  ResourceNotFoundException: 'not_found',
  NotAuthorizedException: 'not_authorized',
  UserNotConfirmedException: 'not_authorized',
  InvalidParameterException: 'invalid_parameter',
  InvalidPasswordException: 'invalid_password',
  CodeMismatchException: 'code_mismatch',
  ExpiredCodeException: 'expired',
  PasswordResetRequiredException: 'password_reset_required',
  TooManyRequestsException: 'rate_limited',
  TooManyFailedAttemptsException: 'rate_limited',
  LimitExceededException: 'limit_exceeded',
  UserLambdaValidationException: 'trigger_failed',
  InvalidLambdaResponseException: 'trigger_failed',
  UnexpectedLambdaException: 'trigger_failed',
  CodeDeliveryFailureException: 'trigger_failed',
  // Cognito Identity's own (the shared names above mean the same there).
  ResourceConflictException: 'conflict',
  ConcurrentModificationException: 'conflict',
  InvalidIdentityPoolConfigurationException: 'misconfigured',
  ExternalServiceException: 'unavailable',
  InternalErrorException: 'unavailable',
  ServiceUnavailable: 'unavailable',
  // IAM refusing the caller's credentials (Cognito, Cognito Identity, IAM and Lambda all answer so).
  AccessDeniedException: 'access_denied',
  AccessDenied: 'access_denied',
  // IAM's and Lambda's "no such thing", for the Studio lifecycle's reads (server/aws).
  NoSuchEntityException: 'not_found',
};

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENOTFOUND',
  'EPIPE',
]);

const DEFAULT_MESSAGES: Record<IdentityErrorCode, string> = {
  member_exists: 'A member with this email already exists.',
  member_not_found: 'No member with this email exists.',
  group_exists: 'The group already exists.',
  not_found: 'The identity resource was not found.',
  not_authorized: 'Not authorized.',
  invalid_parameter: 'The identity service refused a parameter.',
  invalid_password: 'The password does not meet the password policy.',
  code_mismatch: 'The code is not correct.',
  expired: 'The code has expired.',
  password_reset_required: 'A password reset is required.',
  rate_limited: 'Too many requests to the identity service; try again shortly.',
  limit_exceeded: 'An identity service limit was reached.',
  trigger_failed: 'A sign-in trigger failed.',
  conflict: 'The identity resource is linked elsewhere or changed meanwhile.',
  misconfigured: 'The identity pool has no role configured for this request.',
  unavailable: 'The identity service is not answering.',
  access_denied: "The console's AWS credentials are not allowed to do this.",
  unknown: 'The identity service failed unexpectedly.',
};

/** Maps anything the SDK throws (service exceptions, network and timeout errors) to an IdentityError. */
export function toIdentityError(error: unknown): IdentityError {
  if (error instanceof IdentityError) return error;
  const name = error instanceof Error ? error.name : undefined;
  const message = error instanceof Error && error.message ? error.message : undefined;
  const errno = (error as { code?: unknown } | null)?.code;

  const mapped = name ? BY_EXCEPTION[name] : undefined;
  if (mapped) return new IdentityError(mapped, message ?? DEFAULT_MESSAGES[mapped], name, { cause: error });

  if (
    (typeof errno === 'string' && NETWORK_CODES.has(errno)) ||
    name === 'AbortError' ||
    name === 'TimeoutError' ||
    (typeof (error as { $metadata?: { httpStatusCode?: number } } | null)?.$metadata?.httpStatusCode ===
      'number' &&
      (error as { $metadata: { httpStatusCode: number } }).$metadata.httpStatusCode >= 500)
  ) {
    return new IdentityError(
      'unavailable',
      DEFAULT_MESSAGES.unavailable,
      typeof errno === 'string' ? errno : name,
      { cause: error },
    );
  }
  return new IdentityError('unknown', message ?? DEFAULT_MESSAGES.unknown, name, { cause: error });
}

/** Runs one SDK call and rethrows its failure as an IdentityError. */
export async function cognitoCall<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw toIdentityError(error);
  }
}

export function isIdentityError(error: unknown, code?: IdentityErrorCode): error is IdentityError {
  return error instanceof IdentityError && (code === undefined || error.code === code);
}
