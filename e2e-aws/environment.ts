// Where `npm run aws:local` runs for the AWS-mode journey: its own ports (E2E_AWS_PORT_BASE, 4300 by
// default), apart from the main browser tests' 3100 / 9329. aws:local puts the consoles at P, P+1 and
// DynamoDB, SES and Cognito at P+10, P+11, P+12.
export const AWS_PORT_BASE = Number(process.env.E2E_AWS_PORT_BASE ?? 4300);
export const CONSOLE_A = `http://localhost:${AWS_PORT_BASE}`;
export const CONSOLE_B = `http://localhost:${AWS_PORT_BASE + 1}`;
export const DYNAMODB_URL = `http://127.0.0.1:${AWS_PORT_BASE + 10}`;
export const SES_URL = `http://127.0.0.1:${AWS_PORT_BASE + 11}`;
export const COGNITO_URL = `http://127.0.0.1:${AWS_PORT_BASE + 12}`;
/** aws:local's table and bootstrap admin. */
export const STUDIO_TABLE = 'studio-local';
export const ADMIN_EMAIL = 'admin@example.com';
