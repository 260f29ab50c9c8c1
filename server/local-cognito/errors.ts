// Errors travel as Cognito's: HTTP 400 with {"__type": "<Exception>", "message": ...}, which the AWS
// SDK turns into the matching typed exception class.

export class CognitoError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
    this.name = type;
  }
}

export const invalidParameter = (message: string) => new CognitoError('InvalidParameterException', message);
export const resourceNotFound = (message: string) => new CognitoError('ResourceNotFoundException', message);
export const notAuthorized = (message: string) => new CognitoError('NotAuthorizedException', message);
export const userDisabled = () => notAuthorized('User is disabled.');
export const invalidSession = () => notAuthorized('Invalid session for the user.');
export const userNotFound = (message = 'User does not exist.') =>
  new CognitoError('UserNotFoundException', message);
export const invalidLambdaResponse = (message = 'Invalid lambda response') =>
  new CognitoError('InvalidLambdaResponseException', message);
export const internalError = (message = 'Internal server error') =>
  new CognitoError('InternalErrorException', message, 500);
