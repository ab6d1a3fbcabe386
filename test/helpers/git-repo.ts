/**
 * A throwaway git repository holding one org.yaml, committed at a given
 * time: what the reference-time tests read (the commit time of the file is
 * the reference time of a clean checkout).
 */
import { execFileSync } from 'child_process';
import { mkdtempSync, writeFileSync } from 'fs';
import * as os from 'os';
import * as path from 'path';

/** Makes the repository under the system temp dir, records it in `dirs` (for afterAll cleanup) and returns org.yaml's path. */
export function committedOrgFile(text: string, date: string, dirs: string[], prefix = 'rolecall-reftime-'): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  dirs.push(dir);
  const env = {
    ...process.env,
    GIT_AUTHOR_NAME: 't',
    GIT_AUTHOR_EMAIL: 't@example.com',
    GIT_COMMITTER_NAME: 't',
    GIT_COMMITTER_EMAIL: 't@example.com',
    GIT_AUTHOR_DATE: date,
    GIT_COMMITTER_DATE: date,
  };
  const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, env, stdio: 'ignore' });
  git('init', '-q');
  writeFileSync(path.join(dir, 'org.yaml'), text);
  git('add', 'org.yaml');
  git('commit', '-q', '-m', 'org');
  return path.join(dir, 'org.yaml');
}
