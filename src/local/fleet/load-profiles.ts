import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** src/local/profiles, where recorded probe outputs live. */
export const PROFILES_DIR = fileURLToPath(new URL('../profiles/', import.meta.url));

/**
 * Reads recorded probe outputs from `dir` (normally src/local/profiles): one `<name>.txt` per
 * profile, the file name without `.txt` being the profile name. A missing directory reads as no
 * profiles; the generator then says which names it looked for.
 */
export function loadProfiles(dir: string = PROFILES_DIR): ReadonlyMap<string, string> {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return new Map();
    throw error;
  }
  const profiles = new Map<string, string>();
  for (const file of names.filter((n) => n.endsWith('.txt')).sort()) {
    profiles.set(file.slice(0, -'.txt'.length), readFileSync(join(dir, file), 'utf8'));
  }
  return profiles;
}
