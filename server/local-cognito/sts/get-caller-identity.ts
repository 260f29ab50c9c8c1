// STS GetCallerIdentity in the query protocol the AWS CLI and SDKs speak (form-encoded POST, XML
// answers), for the credentials GetCredentialsForIdentity issued and nothing else: the request must be
// signed (SigV4) with their secret key, carry their session token, and arrive before they expire.
// It is how a person sees which role a member's credentials stand for.
import { createHash, randomUUID } from 'node:crypto';
import type { ServiceContext } from '../context';
import { BASE32_ALPHABET } from '../crypto';
import { findIssuedCredentials, secretKeyOf, sessionTokenMatches } from '../identity/credentials';
import {
  headerValues,
  parseAuthorization,
  type ReceivedRequest,
  SignatureProblem,
  signatureMatches,
} from './sigv4';

export interface XmlAnswer {
  status: number;
  body: string;
  /** The RequestId in the body, for the x-amzn-RequestId header. */
  requestId: string;
}

const NAMESPACE = 'https://sts.amazonaws.com/doc/2011-06-15/';
const VERSION = '2011-06-15';
const SESSION_NAME = 'CognitoIdentityCredentials';
const MAX_SKEW_MS = 15 * 60_000;

class StsError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

const invalidToken = () =>
  new StsError('InvalidClientTokenId', 'The security token included in the request is invalid.', 403);
const signatureMismatch = (message?: string) =>
  new StsError(
    'SignatureDoesNotMatch',
    message ??
      'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
    403,
  );

const xmlEscape = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** Error in STS's shape: `<ErrorResponse><Error><Type/><Code/><Message/></Error><RequestId/></ErrorResponse>`. */
export function stsErrorXml(code: string, message: string, status: number): XmlAnswer {
  const type = status >= 500 ? 'Receiver' : 'Sender';
  const requestId = randomUUID();
  return {
    status,
    requestId,
    body:
      `<ErrorResponse xmlns="${NAMESPACE}"><Error><Type>${type}</Type><Code>${xmlEscape(code)}</Code>` +
      `<Message>${xmlEscape(message)}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`,
  };
}

/** 20181231T235959Z → epoch ms; undefined when it is not such a date. */
function parseAmzDate(text: string | undefined): number | undefined {
  if (!text || !/^\d{8}T\d{6}Z$/.test(text)) return undefined;
  const iso = `${text.slice(0, 4)}-${text.slice(4, 6)}-${text.slice(6, 8)}T${text.slice(9, 11)}:${text.slice(11, 13)}:${text.slice(13, 15)}Z`;
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? undefined : ms;
}

const amzDateOf = (ms: number) =>
  new Date(ms)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');

/** The issued credentials that signed `request`, after every check; throws StsError otherwise. */
function authenticate(ctx: ServiceContext, request: ReceivedRequest) {
  const auth = parseAuthorization(headerValues(request.rawHeaders, 'authorization')[0]);
  const issued = findIssuedCredentials(ctx, auth.accessKeyId);
  if (!issued) throw invalidToken();
  if (auth.service !== 'sts')
    throw signatureMismatch("Credential should be scoped to correct service: 'sts'. ");
  if (!auth.signedHeaders.includes('host')) {
    throw signatureMismatch("'Host' must be a 'SignedHeader' in the AWS Authorization.");
  }
  const amzDate = headerValues(request.rawHeaders, 'x-amz-date')[0];
  const signedAt = parseAmzDate(amzDate);
  if (signedAt === undefined || !amzDate?.startsWith(auth.date)) {
    throw signatureMismatch(
      'The X-Amz-Date header is missing, malformed, or not the date of the credential scope.',
    );
  }
  if (!signatureMatches(request, auth, amzDate, secretKeyOf(ctx, issued.accessKeyId)))
    throw signatureMismatch();
  if (!sessionTokenMatches(issued, headerValues(request.rawHeaders, 'x-amz-security-token')[0])) {
    throw invalidToken();
  }
  const now = ctx.now();
  if (now >= issued.expiresAt) {
    throw new StsError('ExpiredToken', 'The security token included in the request is expired', 400);
  }
  if (Math.abs(now - signedAt) > MAX_SKEW_MS) {
    throw signatureMismatch(
      `Signature expired: ${amzDate} is now earlier than ${amzDateOf(now - MAX_SKEW_MS)} (${amzDateOf(now)} - 15 min.)`,
    );
  }
  return issued;
}

/** A role id in AWS's shape (AROA + 17), stable for a role ARN. */
function roleIdOf(roleArn: string): string {
  const digest = createHash('sha256').update(roleArn).digest();
  let id = 'AROA';
  for (let i = 0; i < 17; i++) id += BASE32_ALPHABET[digest[i]! % 32];
  return id;
}

/** The role's name: the last segment of `arn:aws:iam::<account>:role/<path/>name`. */
const roleNameOf = (roleArn: string) => roleArn.slice(roleArn.lastIndexOf('/') + 1);

/** Answers a query-protocol request (`Action=GetCallerIdentity&Version=2011-06-15`). */
export function handleStsRequest(ctx: ServiceContext, request: ReceivedRequest): XmlAnswer {
  try {
    const params = new URLSearchParams(request.body.toString('utf8'));
    const issued = authenticate(ctx, request);
    const action = params.get('Action') ?? '';
    const version = params.get('Version') ?? '';
    if (action !== 'GetCallerIdentity' || version !== VERSION) {
      throw new StsError('InvalidAction', `Could not find operation ${action} for version ${version}`, 400);
    }
    const arn = `arn:aws:sts::${ctx.accountId}:assumed-role/${roleNameOf(issued.roleArn)}/${SESSION_NAME}`;
    const requestId = randomUUID();
    return {
      status: 200,
      requestId,
      body:
        `<GetCallerIdentityResponse xmlns="${NAMESPACE}"><GetCallerIdentityResult>` +
        `<Arn>${xmlEscape(arn)}</Arn><UserId>${roleIdOf(issued.roleArn)}:${SESSION_NAME}</UserId>` +
        `<Account>${ctx.accountId}</Account></GetCallerIdentityResult>` +
        `<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></GetCallerIdentityResponse>`,
    };
  } catch (error) {
    if (error instanceof StsError) return stsErrorXml(error.code, error.message, error.status);
    if (error instanceof SignatureProblem) {
      return stsErrorXml(error.code, error.message, error.code === 'IncompleteSignature' ? 400 : 403);
    }
    throw error;
  }
}
