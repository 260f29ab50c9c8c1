// AWS Signature Version 4, checked the way an AWS service checks it: the canonical request rebuilt from
// what arrived, the string to sign, the derived signing key, and a constant-time comparison. Input is
// read with splits and fixed, unambiguous patterns only (linear time on any input).
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

export interface ReceivedRequest {
  method: string;
  /** Path and query exactly as received. */
  url: string;
  /** Node's rawHeaders: name, value, name, value, ... */
  rawHeaders: string[];
  body: Buffer;
}

export interface SigV4Authorization {
  accessKeyId: string;
  /** YYYYMMDD of the credential scope. */
  date: string;
  region: string;
  service: string;
  signedHeaders: string[];
  signature: string;
}

export class SignatureProblem extends Error {
  constructor(
    readonly code: 'MissingAuthenticationToken' | 'IncompleteSignature' | 'SignatureDoesNotMatch',
    message: string,
  ) {
    super(message);
    this.name = code;
  }
}

const ALGORITHM = 'AWS4-HMAC-SHA256';

/** Every value of header `name` (any case), in the order received. */
export function headerValues(rawHeaders: string[], name: string): string[] {
  const values: string[] = [];
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    if (rawHeaders[i]!.toLowerCase() === name) values.push(rawHeaders[i + 1]!);
  }
  return values;
}

export function parseAuthorization(header: string | undefined): SigV4Authorization {
  if (header === undefined || header === '') {
    throw new SignatureProblem('MissingAuthenticationToken', 'Request is missing Authentication Token');
  }
  if (!header.startsWith(`${ALGORITHM} `)) {
    throw new SignatureProblem(
      'IncompleteSignature',
      `Unsupported AWS 'algorithm': '${header.split(' ')[0]}'`,
    );
  }
  const fields = new Map<string, string>();
  for (const part of header.slice(ALGORITHM.length + 1).split(',')) {
    const at = part.indexOf('=');
    if (at > 0) fields.set(part.slice(0, at).trim(), part.slice(at + 1).trim());
  }
  const credential = fields.get('Credential')?.split('/') ?? [];
  const signedHeaders = fields.get('SignedHeaders')?.split(';');
  const signature = fields.get('Signature');
  if (credential.length !== 5 || credential[4] !== 'aws4_request' || !signedHeaders || !signature) {
    throw new SignatureProblem(
      'IncompleteSignature',
      'Authorization header requires Credential, SignedHeaders and Signature parameters.',
    );
  }
  const [accessKeyId, date, region, service] = credential as [string, string, string, string, string];
  if (!/^[0-9a-f]{64}$/.test(signature) || !/^\d{8}$/.test(date)) {
    throw new SignatureProblem('IncompleteSignature', 'Authorization header is malformed.');
  }
  return { accessKeyId, date, region, service, signedHeaders, signature };
}

/** RFC 3986 percent-encoding, as SigV4 wants it (everything but A-Z a-z 0-9 - _ . ~). */
function encode(text: string): string {
  return encodeURIComponent(text).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

function decode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    throw new SignatureProblem('SignatureDoesNotMatch', 'The request contains a malformed query string.');
  }
}

function canonicalQuery(query: string): string {
  return query
    .split('&')
    .filter((pair) => pair !== '')
    .map((pair) => {
      const at = pair.indexOf('=');
      const name = at < 0 ? pair : pair.slice(0, at);
      const value = at < 0 ? '' : pair.slice(at + 1);
      return [encode(decode(name)), encode(decode(value))] as const;
    })
    .sort(([a, x], [b, y]) => (a < b ? -1 : a > b ? 1 : x < y ? -1 : x > y ? 1 : 0))
    .map(([name, value]) => `${name}=${value}`)
    .join('&');
}

function canonicalRequest(request: ReceivedRequest, auth: SigV4Authorization): string {
  const at = request.url.indexOf('?');
  const path = at < 0 ? request.url : request.url.slice(0, at);
  const query = at < 0 ? '' : request.url.slice(at + 1);
  // Services other than S3 encode each (already encoded) path segment once more.
  const uri = path.split('/').map(encode).join('/') || '/';
  const headers = auth.signedHeaders
    .map((name) => {
      const values = headerValues(request.rawHeaders, name).map((value) => value.trim().replace(/\s+/g, ' '));
      return `${name}:${values.join(',')}\n`;
    })
    .join('');
  const payloadHash = createHash('sha256').update(request.body).digest('hex');
  return [
    request.method,
    uri,
    canonicalQuery(query),
    headers,
    auth.signedHeaders.join(';'),
    payloadHash,
  ].join('\n');
}

const hmac = (key: Buffer | string, data: string) => createHmac('sha256', key).update(data).digest();

/** Whether `auth.signature` is the signature of `request` under `secretKey`, compared in constant time. */
export function signatureMatches(
  request: ReceivedRequest,
  auth: SigV4Authorization,
  amzDate: string,
  secretKey: string,
): boolean {
  const scope = `${auth.date}/${auth.region}/${auth.service}/aws4_request`;
  const digest = createHash('sha256').update(canonicalRequest(request, auth)).digest('hex');
  const stringToSign = [ALGORITHM, amzDate, scope, digest].join('\n');
  const signingKey = hmac(
    hmac(hmac(hmac(`AWS4${secretKey}`, auth.date), auth.region), auth.service),
    'aws4_request',
  );
  const expected = hmac(signingKey, stringToSign);
  return timingSafeEqual(expected, Buffer.from(auth.signature, 'hex'));
}
