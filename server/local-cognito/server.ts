import { randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import type { Mailer } from '@/server/mail/types';
import { ensurePrivateFile, writePrivateFile } from '@/server/storage/file-modes';
import type { LambdaHandler, Operation, ServiceContext } from './context';
import { openDb } from './db';
import { CognitoError } from './errors';
import { cognitoIdentityOperations } from './identity/operations';
import { operations } from './operations';
import { handleStsRequest, stsErrorXml, type XmlAnswer } from './sts/get-caller-identity';
import { handleGet } from './well-known';

export interface LocalCognitoOptions {
  dataDir: string;
  /** Listener port on 127.0.0.1; 0 picks a free one. */
  port: number;
  region?: string;
  /** Lambda function name → in-process handler (the app's triggers, or a test's). */
  lambdas?: Record<string, LambdaHandler>;
  mailer?: Mailer;
  now?: () => number;
  log?: (line: string) => void;
  /**
   * Waits this many ms before handling each request, so every answer comes that much later, as from
   * a Cognito region away (`npm run aws:local -- --cognito-latency <ms>`). 0 (the default): at once.
   */
  latencyMs?: number;
}

export interface LocalCognito {
  /** e.g. http://127.0.0.1:9229 — the SDK's `endpoint`. */
  url: string;
  port: number;
  context: ServiceContext;
  close(): Promise<void>;
}

const MAX_BODY = 1024 * 1024;

// One listener, three APIs, told apart as AWS's own endpoints would be: the JSON APIs by the prefix of
// X-Amz-Target, STS by its query protocol (a form-encoded POST without a target).
const JSON_APIS: ReadonlyArray<{ prefix: string; operations: Record<string, Operation> }> = [
  { prefix: 'AWSCognitoIdentityProviderService.', operations },
  { prefix: 'AWSCognitoIdentityService.', operations: cognitoIdentityOperations },
];

function isQueryProtocol(req: http.IncomingMessage): boolean {
  const type = String(req.headers['content-type'] ?? '').toLowerCase();
  return req.headers['x-amz-target'] === undefined && type.startsWith('application/x-www-form-urlencoded');
}

function jsonOperation(target: string): { name: string; operation: Operation | undefined } {
  for (const api of JSON_APIS) {
    if (!target.startsWith(api.prefix)) continue;
    const name = target.slice(api.prefix.length);
    return { name, operation: Object.hasOwn(api.operations, name) ? api.operations[name] : undefined };
  }
  return { name: '', operation: undefined };
}

/**
 * Starts the embedded Cognito-compatible service: a loopback HTTP listener speaking Cognito's JSON
 * protocol (user pools and identity pools) and STS GetCallerIdentity for the credentials it issues.
 */
export async function startLocalCognito(options: LocalCognitoOptions): Promise<LocalCognito> {
  const latencyMs = options.latencyMs ?? 0;
  if (!Number.isSafeInteger(latencyMs) || latencyMs < 0) {
    throw new Error(`latencyMs must be a whole number of ms, 0 or more; got ${latencyMs}`);
  }
  const db = openDb(options.dataDir, options.log);
  const lambdas = options.lambdas ?? {};
  const context: ServiceContext = {
    db,
    region: options.region ?? 'us-east-1',
    accountId: '000000000000',
    origin: '',
    now: options.now ?? Date.now,
    pepper: readOrCreatePepper(options.dataDir, options.log),
    lambda: (name) => lambdas[name],
    mailer: options.mailer,
    log: options.log ?? ((line) => console.log(line)),
  };

  // Requests waiting out the latency: dropped, not handled, once the service closes.
  const waiting = new Set<NodeJS.Timeout>();
  const server = http.createServer((req, res) => {
    const answer = () =>
      handle(req, res, context).catch((error) => {
        context.log(`local-cognito: unexpected error: ${error instanceof Error ? error.stack : error}`);
        if (res.headersSent) res.end();
        else if (isQueryProtocol(req)) sendXml(res, stsErrorXml('InternalFailure', 'Internal error', 500));
        else send(res, 500, { __type: 'InternalErrorException', message: 'Internal error' });
      });
    if (latencyMs === 0) {
      void answer();
      return;
    }
    const timer = setTimeout(() => {
      waiting.delete(timer);
      void answer();
    }, latencyMs);
    waiting.add(timer);
  });
  // Idle keep-alive connections stay open a minute (close() ends them all at once). Node's default of
  // 5 s is the console's own re-check interval: a re-check then often reuses a connection at the
  // instant the service drops it, and fails with ECONNRESET (socket hang up).
  server.keepAliveTimeout = 65_000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  context.origin = `http://127.0.0.1:${port}`;

  return {
    url: context.origin,
    port,
    context,
    close: async () => {
      for (const timer of waiting) clearTimeout(timer);
      waiting.clear();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      db.close();
    },
  };
}

/**
 * The service trusts local programs, not browsers: the AWS CLI and SDKs name the service's own address
 * in Host and send no Origin. A page the operator visits can reach 127.0.0.1 (directly, or by rebinding
 * its own name to it), but it cannot send our Host, and its requests carry an Origin.
 */
function refusal(req: http.IncomingMessage, port: number): string | undefined {
  if (req.headers.origin !== undefined) {
    return 'Refused: requests from web pages (with an Origin header) are not accepted; the embedded identity service answers local programs only';
  }
  const host = (req.headers.host ?? '').toLowerCase();
  if (host !== `127.0.0.1:${port}` && host !== `localhost:${port}`) {
    return `Refused: the Host header must be 127.0.0.1:${port} or localhost:${port}`;
  }
  return undefined;
}

async function handle(req: http.IncomingMessage, res: http.ServerResponse, ctx: ServiceContext) {
  // STS speaks the query protocol (form in, XML out); everything else here is JSON 1.1.
  const sts = isQueryProtocol(req);
  const refused = refusal(req, Number(new URL(ctx.origin).port));
  if (refused) {
    req.resume();
    if (sts) return sendXml(res, stsErrorXml('AccessDenied', refused, 403));
    return send(res, 403, { __type: 'AccessDeniedException', message: refused }, req.method === 'HEAD');
  }
  if (req.method === 'GET' || req.method === 'HEAD') {
    const found = handleGet(ctx, new URL(req.url ?? '/', ctx.origin).pathname);
    if (found) send(res, found.status, found.body, req.method === 'HEAD');
    else send(res, 404, { message: 'Not found' }, req.method === 'HEAD');
    return;
  }
  if (req.method !== 'POST') return send(res, 405, { message: 'Method not allowed' });

  let raw: Buffer;
  try {
    raw = await readBody(req);
  } catch (error) {
    if (sts) return sendXml(res, stsErrorXml('RequestEntityTooLarge', 'Request body too large', 413));
    return sendError(res, error);
  }
  if (sts) {
    const { method = 'POST', url = '/', rawHeaders } = req;
    return sendXml(res, handleStsRequest(ctx, { method, url, rawHeaders, body: raw }));
  }

  const { name, operation } = jsonOperation(String(req.headers['x-amz-target'] ?? ''));
  const body = raw.toString('utf8');
  if (!operation) {
    return send(res, 400, {
      __type: 'UnknownOperationException',
      message: name ? `Unknown operation ${name}` : 'Missing X-Amz-Target header',
    });
  }
  let input: unknown;
  try {
    input = body === '' ? {} : JSON.parse(body);
  } catch {
    return send(res, 400, { __type: 'SerializationException', message: 'Request body is not valid JSON' });
  }
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    return send(res, 400, {
      __type: 'SerializationException',
      message: 'Request body must be a JSON object',
    });
  }
  try {
    const output = await operation(input as Record<string, unknown>, ctx);
    send(res, 200, output ?? {});
  } catch (error) {
    sendError(res, error, ctx);
  }
}

function sendError(res: http.ServerResponse, error: unknown, ctx?: ServiceContext) {
  if (error instanceof CognitoError) {
    return send(res, error.status, { __type: error.type, message: error.message });
  }
  ctx?.log(`local-cognito: internal error: ${error instanceof Error ? error.stack : error}`);
  send(res, 500, { __type: 'InternalErrorException', message: 'Internal error' });
}

/** An STS answer, its header naming the request id its body names. */
function sendXml(res: http.ServerResponse, answer: XmlAnswer) {
  write(res, answer.status, 'text/xml', answer.body, answer.requestId);
}

function send(res: http.ServerResponse, status: number, body: unknown, headOnly = false) {
  write(res, status, 'application/x-amz-json-1.1', JSON.stringify(body), randomUUID(), headOnly);
}

function write(
  res: http.ServerResponse,
  status: number,
  contentType: string,
  text: string,
  requestId: string,
  headOnly = false,
) {
  res.writeHead(status, {
    'Content-Type': contentType,
    'Content-Length': Buffer.byteLength(text),
    'x-amzn-RequestId': requestId,
  });
  res.end(headOnly ? undefined : text);
}

function readBody(req: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) {
        reject(new CognitoError('InvalidParameterException', 'Request body too large', 413));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function readOrCreatePepper(dataDir: string, log?: (line: string) => void): Buffer {
  const file = path.join(dataDir, 'cognito-pepper');
  try {
    // 'wx': of two processes starting together, exactly one creates it; the other reads it.
    writePrivateFile(file, randomBytes(32).toString('base64'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    ensurePrivateFile(file, log);
  }
  const pepper = Buffer.from(fs.readFileSync(file, 'utf8').trim(), 'base64');
  if (pepper.length !== 32) throw new Error(`${file} is damaged: expected a 32-byte base64 key`);
  return pepper;
}
