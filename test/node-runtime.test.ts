// `npm run test:aws-runtimes` names the Node it means to test on; this proves the workers run on it
// (and not on the Node that started the run).
import { expect, it } from 'vitest';

const expected = process.env.STUDIO_EXPECTED_NODE;

it.skipIf(!expected)('runs on the Node version the run was started for', () => {
  expect(process.version).toBe(`v${expected}`);
});
