import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** What must never appear in a log: credentials, their hashes, and the values tests plant. */
export const FORBIDDEN: Array<[string, RegExp]> = [
  ['an argon2 password hash', /\$argon2(id|i|d)\$/],
  ['a JWT', /eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{16,}/],
  ['an agent, API or invitation token', /nop_(agt|pat|inv)_[A-Za-z0-9_-]{16,}/],
  ['a SHA-256 token hash', /(?<![0-9a-f])[0-9a-f]{64}(?![0-9a-f])/],
  ['an encrypted secret', /nop:enc:v1:/],
  ['a test password', /correct horse battery|a brand new password|invited password|admin password/],
  ['a planted secret (canary)', /canary-(header|body|basic)-/],
];

export interface Finding {
  file: string;
  line: number;
  what: string;
  /** the line around the match, with the match itself blanked */
  excerpt: string;
}

/** Reads every file of a folder and reports each forbidden match (file, line, kind). */
export function scanLogs(dir: string): { files: number; bytes: number; findings: Finding[] } {
  let files = 0;
  let bytes = 0;
  const findings: Finding[] = [];
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return { files, bytes, findings };
  }
  for (const name of names) {
    const text = readFileSync(path.join(dir, name), 'utf8');
    files++;
    bytes += text.length;
    text.split('\n').forEach((line, index) => {
      for (const [what, pattern] of FORBIDDEN) {
        const match = pattern.exec(line);
        if (!match) continue;
        const start = Math.max(0, match.index - 60);
        const excerpt = line.slice(start, match.index) + '[…]' + line.slice(match.index + match[0].length).slice(0, 60);
        findings.push({ file: name, line: index + 1, what, excerpt });
      }
    });
  }
  return { files, bytes, findings };
}
