import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export class DataDirInUseError extends Error {}

const isAlive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/**
 * PGlite is one process's database: a second NOP on the same folder would corrupt it. The lock file
 * holds the owner's pid; a lock whose process is gone (a crash) is taken over. Returns the release.
 */
export function lockDataDir(dataDir: string): () => void {
  mkdirSync(dataDir, { recursive: true });
  const file = path.join(dataDir, 'nop.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(file, String(process.pid), { flag: 'wx' });
      return () => rmSync(file, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = Number(readFileSync(file, 'utf8').trim());
      if (owner && owner !== process.pid && isAlive(owner))
        throw new DataDirInUseError(
          `the data folder ${dataDir} is in use by another NOP (pid ${owner}); stop it, or set NOP_DATA_DIR or PORT for a second one`,
        );
      rmSync(file, { force: true }); // stale: its process is gone
    }
  }
  throw new DataDirInUseError(`could not lock the data folder ${dataDir}`);
}
