import path from 'node:path';

// Where the console under test runs: its own port, identity service port and a fresh data directory,
// so a developer's `npm start` (3000 / 9229 / .data) can keep running alongside. E2E_PORT and
// E2E_COGNITO_PORT move it, so that two checkouts can run their browser tests at the same time.
export const E2E_PORT = Number(process.env.E2E_PORT ?? 3100);
export const E2E_COGNITO_PORT = Number(process.env.E2E_COGNITO_PORT ?? 9329);
export const E2E_BASE_URL = `http://localhost:${E2E_PORT}`;
export const E2E_COGNITO_URL = `http://127.0.0.1:${E2E_COGNITO_PORT}`;
export const E2E_DATA_DIR = path.resolve(__dirname, '..', '.data-e2e');
export const E2E_ADMIN_EMAIL = 'admin@example.com';
