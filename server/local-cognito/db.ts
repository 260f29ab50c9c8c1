import path from 'node:path';
import Database from 'better-sqlite3';
import {
  checkPrivateSqlite,
  ensurePrivateDir,
  type ModeLog,
  preparePrivateSqlite,
} from '@/server/storage/file-modes';

export type Db = Database.Database;

export const DB_FILE = 'cognito.sqlite';

// Each entry runs once, in order; its index is the schema version kept in `PRAGMA user_version`.
// Append, never edit: databases in the field have already run the earlier entries.
const MIGRATIONS: string[] = [
  `
  CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);

  -- RS256 signing keys, one active; published in every pool's JWKS.
  CREATE TABLE signing_keys (
    kid TEXT PRIMARY KEY,
    private_pem TEXT NOT NULL,
    public_jwk TEXT NOT NULL,
    created_at INTEGER NOT NULL
  );

  CREATE TABLE user_pools (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    config TEXT NOT NULL,            -- JSON: the UserPoolType fields we keep (policies, LambdaConfig, ...)
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
  );
  CREATE INDEX user_pools_name ON user_pools (name);

  CREATE TABLE user_pool_clients (
    client_id TEXT PRIMARY KEY,
    pool_id TEXT NOT NULL REFERENCES user_pools (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    config TEXT NOT NULL,            -- JSON: ExplicitAuthFlows, token validity, ...
    client_secret TEXT,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
  );
  CREATE INDEX user_pool_clients_pool ON user_pool_clients (pool_id);

  CREATE TABLE groups (
    pool_id TEXT NOT NULL REFERENCES user_pools (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    description TEXT,
    role_arn TEXT,
    precedence INTEGER,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (pool_id, name)
  );

  -- username is as created; username_key is what lookups use (lower-cased when the pool is
  -- case-insensitive). Frequently filtered attributes have their own columns; all attributes are in
  -- the JSON column as Cognito returns them.
  CREATE TABLE users (
    pool_id TEXT NOT NULL REFERENCES user_pools (id) ON DELETE CASCADE,
    username TEXT NOT NULL,
    username_key TEXT NOT NULL,
    sub TEXT NOT NULL,
    email TEXT,                      -- lower-cased copy for filters; NULL when unset
    phone_number TEXT,
    status TEXT NOT NULL,            -- UNCONFIRMED | CONFIRMED | FORCE_CHANGE_PASSWORD | RESET_REQUIRED | ...
    enabled INTEGER NOT NULL DEFAULT 1,
    attributes TEXT NOT NULL,        -- JSON object name -> value
    password_hash TEXT,
    temp_password_expires_at INTEGER, -- ms; NULL unless status is FORCE_CHANGE_PASSWORD
    tokens_valid_after INTEGER NOT NULL DEFAULT 0, -- ms; global sign-out moves it forward
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (pool_id, username_key)
  );
  CREATE UNIQUE INDEX users_sub ON users (pool_id, sub);
  CREATE INDEX users_email ON users (pool_id, email);
  CREATE INDEX users_phone ON users (pool_id, phone_number);
  CREATE INDEX users_status ON users (pool_id, status, username_key);

  CREATE TABLE user_groups (
    pool_id TEXT NOT NULL,
    group_name TEXT NOT NULL,
    username_key TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (pool_id, group_name, username_key),
    FOREIGN KEY (pool_id, group_name) REFERENCES groups (pool_id, name) ON DELETE CASCADE,
    FOREIGN KEY (pool_id, username_key) REFERENCES users (pool_id, username_key) ON DELETE CASCADE
  );
  CREATE INDEX user_groups_user ON user_groups (pool_id, username_key);

  -- InitiateAuth / RespondToAuthChallenge sessions: single-use, expiring; only the hash is stored.
  CREATE TABLE auth_sessions (
    session_hash TEXT PRIMARY KEY,
    pool_id TEXT NOT NULL,
    client_id TEXT NOT NULL,
    username_key TEXT NOT NULL,
    state TEXT NOT NULL,             -- JSON: challenge name, parameters, custom-auth history
    expires_at INTEGER NOT NULL,
    created_at INTEGER NOT NULL
  );
  CREATE INDEX auth_sessions_expiry ON auth_sessions (expires_at);

  -- Refresh tokens (hash only) and the token families they start; revoking a family
  -- (RevokeToken, global sign-out) makes its refresh token and every access token minted from it fail.
  CREATE TABLE refresh_tokens (
    token_hash TEXT PRIMARY KEY,
    origin_jti TEXT NOT NULL UNIQUE,
    pool_id TEXT NOT NULL,
    client_id TEXT NOT NULL,
    username_key TEXT NOT NULL,
    auth_time INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    revoked_at INTEGER,
    created_at INTEGER NOT NULL
  );
  CREATE INDEX refresh_tokens_user ON refresh_tokens (pool_id, username_key);
  `,
  // ListUsers pages every filter in index order, (attribute, username_key): each searchable attribute
  // gets an index ending in username_key, so a filtered page is one index range scan. Attributes many
  // users lack get partial indexes: every index costs each AdminCreateUser a page write.
  `
  DROP INDEX users_email;
  CREATE INDEX users_email ON users (pool_id, email, username_key) WHERE email IS NOT NULL;
  DROP INDEX users_phone;
  CREATE INDEX users_phone ON users (pool_id, phone_number, username_key) WHERE phone_number IS NOT NULL;
  CREATE INDEX users_disabled ON users (pool_id, username_key) WHERE enabled = 0;
  CREATE INDEX users_name ON users (pool_id, json_extract(attributes, '$.name'), username_key)
    WHERE json_extract(attributes, '$.name') IS NOT NULL;
  CREATE INDEX users_given_name ON users (pool_id, json_extract(attributes, '$.given_name'), username_key)
    WHERE json_extract(attributes, '$.given_name') IS NOT NULL;
  CREATE INDEX users_family_name ON users (pool_id, json_extract(attributes, '$.family_name'), username_key)
    WHERE json_extract(attributes, '$.family_name') IS NOT NULL;
  CREATE INDEX users_preferred_username
    ON users (pool_id, json_extract(attributes, '$.preferred_username'), username_key)
    WHERE json_extract(attributes, '$.preferred_username') IS NOT NULL;
  -- AdminListGroupsForUser pages a user's groups by name.
  DROP INDEX user_groups_user;
  CREATE INDEX user_groups_user ON user_groups (pool_id, username_key, group_name);
  `,
  // Cognito's lockout: consecutive wrong passwords, and until when sign-in is refused (ms).
  `
  ALTER TABLE users ADD COLUMN failed_sign_ins INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE users ADD COLUMN locked_until INTEGER;
  `,
  // Cognito Identity: identity pools (settings, roles and role mappings in the API's own shapes), their
  // identities, the logins (provider, user sub) linked to each identity, and the credentials
  // GetCredentialsForIdentity issued, which STS GetCallerIdentity checks signatures against. Their
  // secret keys are not stored: each is derived from its key id and the pepper kept outside this file.
  `
  CREATE TABLE identity_pools (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    config TEXT NOT NULL,            -- JSON: AllowUnauthenticatedIdentities, CognitoIdentityProviders, ...
    roles TEXT NOT NULL DEFAULT '{}',         -- JSON: { authenticated?, unauthenticated? }
    role_mappings TEXT NOT NULL DEFAULT '{}', -- JSON: { "<ProviderName>:<ClientId>": RoleMapping }
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
  );
  -- ListIdentityPools pages in creation order.
  CREATE INDEX identity_pools_created ON identity_pools (created_at, id);

  CREATE TABLE identities (
    id TEXT PRIMARY KEY,
    pool_id TEXT NOT NULL REFERENCES identity_pools (id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
  );
  CREATE INDEX identities_pool ON identities (pool_id);

  CREATE TABLE identity_logins (
    pool_id TEXT NOT NULL REFERENCES identity_pools (id) ON DELETE CASCADE,
    provider TEXT NOT NULL,          -- e.g. cognito-idp.us-east-1.amazonaws.com/us-east-1_AbC123xyz
    subject TEXT NOT NULL,           -- the token's sub
    identity_id TEXT NOT NULL REFERENCES identities (id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (pool_id, provider, subject)
  );
  CREATE INDEX identity_logins_identity ON identity_logins (identity_id);

  CREATE TABLE issued_credentials (
    access_key_id TEXT PRIMARY KEY,
    session_token_hash TEXT NOT NULL,
    role_arn TEXT NOT NULL,
    identity_id TEXT NOT NULL,
    expires_at INTEGER NOT NULL,     -- ms
    created_at INTEGER NOT NULL
  );
  CREATE INDEX issued_credentials_expiry ON issued_credentials (expires_at);
  `,
];

/**
 * Opens (creating if needed) the service database in `dataDir`, migrated to the current schema. The
 * directory is made 0700 and every file of the database 0600: it holds the token signing key.
 */
export function openDb(dataDir: string, log?: ModeLog): Db {
  ensurePrivateDir(dataDir, log);
  const file = path.join(dataDir, DB_FILE);
  preparePrivateSqlite(file, log);
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('busy_timeout = 5000');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  migrate(db);
  checkPrivateSqlite(file, log);
  return db;
}

function migrate(db: Db) {
  // IMMEDIATE: two processes starting on one fresh directory must not both run a migration.
  db.transaction(() => {
    const version = db.pragma('user_version', { simple: true }) as number;
    for (let v = version; v < MIGRATIONS.length; v++) {
      db.exec(MIGRATIONS[v]!);
      db.pragma(`user_version = ${v + 1}`);
    }
  }).immediate();
}
