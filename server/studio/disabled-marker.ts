import fs from 'node:fs';
import path from 'node:path';
import { writePrivateFile } from '@/server/storage/file-modes';

// Local mode remembers that Studio was disabled, so the next `npm start` does not quietly provision an
// empty pool in its place: it runs the embedded service and says how to enable Studio again.

const FILE = 'studio-disabled.json';

export interface DisabledMarker {
  /** ISO 8601. */
  disabledAt: string;
  /** The members export `disable` wrote. */
  exportFile: string;
}

export function readDisabledMarker(dataDir: string): DisabledMarker | null {
  try {
    const parsed = JSON.parse(fs.readFileSync(path.join(dataDir, FILE), 'utf8')) as Partial<DisabledMarker>;
    return { disabledAt: String(parsed.disabledAt ?? ''), exportFile: String(parsed.exportFile ?? '') };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    // Unreadable or damaged: still disabled; the export's path is simply not known.
    return { disabledAt: '', exportFile: '' };
  }
}

export function writeDisabledMarker(dataDir: string, marker: DisabledMarker): void {
  const file = path.join(dataDir, FILE);
  fs.rmSync(file, { force: true });
  writePrivateFile(file, `${JSON.stringify(marker, null, 2)}\n`);
}

export function clearDisabledMarker(dataDir: string): void {
  fs.rmSync(path.join(dataDir, FILE), { force: true });
}
