import fs from 'node:fs';

// DATA_DIR holds the identity service's signing key, the session secret and every member's record:
// only its owner may read it. Modes are set with chmod, so the umask cannot loosen them, and checked
// at every start: a directory or file an older version left readable by others is tightened, with a
// line in the log naming it.

export const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;

export type ModeLog = (line: string) => void;

const defaultLog: ModeLog = (line) => console.warn(line);
const octal = (mode: number) => `0${(mode & 0o777).toString(8)}`;

/** Makes `target` (if it exists) `mode` when group or others have any access to it; true if it exists. */
function tighten(target: string, mode: number, log: ModeLog): boolean {
  let current: number;
  try {
    current = fs.statSync(target).mode & 0o777;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
  if ((current & 0o077) !== 0) {
    fs.chmodSync(target, mode);
    log(`${target} was readable by others (${octal(current)}); its mode is now ${octal(mode)}`);
  }
  return true;
}

/** Creates `dir` (with its parents) if needed and makes it owner-only (0700). */
export function ensurePrivateDir(dir: string, log: ModeLog = defaultLog): void {
  if (!fs.existsSync(dir)) {
    fs.mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
    fs.chmodSync(dir, PRIVATE_DIR_MODE);
    return;
  }
  tighten(dir, PRIVATE_DIR_MODE, log);
}

/** Makes an existing file owner-only (0600); a missing one is left missing. */
export function ensurePrivateFile(file: string, log: ModeLog = defaultLog): void {
  tighten(file, PRIVATE_FILE_MODE, log);
}

const sqliteCompanions = (file: string) => [file, `${file}-wal`, `${file}-shm`, `${file}-journal`];

/**
 * Before a SQLite database is opened: its file (and any -wal, -shm, -journal an earlier run left) made
 * owner-only, and the file created empty at 0600 when missing. SQLite gives the -wal and -shm files it
 * creates later the database file's mode, so they are 0600 from their first write.
 */
export function preparePrivateSqlite(file: string, log: ModeLog = defaultLog): void {
  for (const companion of sqliteCompanions(file)) tighten(companion, PRIVATE_FILE_MODE, log);
  if (fs.existsSync(file)) return;
  // 'a' creates without truncating: of two processes starting together, both open one file.
  fs.closeSync(fs.openSync(file, 'a', PRIVATE_FILE_MODE));
  fs.chmodSync(file, PRIVATE_FILE_MODE);
}

/** After opening (and the first write): every file of the database checked to be owner-only. */
export function checkPrivateSqlite(file: string, log: ModeLog = defaultLog): void {
  for (const companion of sqliteCompanions(file)) tighten(companion, PRIVATE_FILE_MODE, log);
}

/**
 * At start, for a directory of private files (the outbox): the directory (if it exists) made 0700 and
 * every file in it 0600.
 */
export function ensurePrivateTree(dir: string, log: ModeLog = defaultLog): void {
  // Missing, or not a directory (sending will say so): nothing to check.
  if (!fs.statSync(dir, { throwIfNoEntry: false })?.isDirectory()) return;
  tighten(dir, PRIVATE_DIR_MODE, log);
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.isFile()) tighten(`${dir}/${entry.name}`, PRIVATE_FILE_MODE, log);
  }
}

/** Writes a new file readable by its owner only, whatever the umask; fails if it exists ('wx'). */
export function writePrivateFile(file: string, content: string | Buffer): void {
  fs.writeFileSync(file, content, { flag: 'wx', mode: PRIVATE_FILE_MODE });
  fs.chmodSync(file, PRIVATE_FILE_MODE);
}
