// `npm run signin-link -- <email>`: prints a one-time sign-in link for an existing Full-access member
// (the "Launch Studio" button of this product), written straight into the challenge store: DATA_DIR's
// SQLite in local mode (the identity backend must be running: npm start), the STUDIO_TABLE DynamoDB
// table in AWS mode (with the operator's own AWS credentials, from the SDK's default chain).
import { pathToFileURL } from 'node:url';
import { mintOperatorSignInLink, OperatorLinkError } from '@/server/auth/operator-link';
import { IdentityError } from '@/server/cognito/errors';
import { ConfigError } from '@/server/env';
import { muteSdkNodeVersionWarning, openStores } from '@/server/runtime';
import { loadScriptEnv } from './script-env';

export { mintOperatorSignInLink, type OperatorLink } from '@/server/auth/operator-link';

async function main(argv: string[]): Promise<number> {
  const email = argv.find((arg) => !arg.startsWith('-'))?.trim();
  if (!email || argv.includes('--help') || argv.includes('-h')) {
    console.error('Usage: npm run signin-link -- <email of a Full-access member>');
    return email ? 0 : 2;
  }
  muteSdkNodeVersionWarning();
  // The same configuration `npm start` reads (.env files included), so the link uses its DATA_DIR and PUBLIC_URL.
  const env = loadScriptEnv((error) => {
    throw error;
  });
  const stores = openStores(env);
  try {
    const link = await mintOperatorSignInLink(email, {
      challenges: stores.challenges(),
      publicUrl: env.publicUrl,
    });
    const minutes = Math.round((link.expiresAt - Date.now()) / 60_000);
    console.log(`One-time sign-in link for ${link.email} (works once, within ${minutes} minutes):`);
    console.log(link.url);
    return 0;
  } finally {
    stores.close();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      if (error instanceof OperatorLinkError || error instanceof ConfigError) {
        console.error(`signin-link: ${error.message}`);
      } else if (error instanceof IdentityError && error.code === 'unavailable') {
        console.error(
          'signin-link: the identity service is not answering. Start Studio Access first (npm start).',
        );
      } else if (error instanceof IdentityError && error.code === 'not_found') {
        console.error(`signin-link: ${error.message}. Start Studio Access once to provision it (npm start).`);
      } else {
        console.error(error);
      }
      process.exit(1);
    },
  );
}
