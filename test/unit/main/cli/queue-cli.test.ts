import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const BIN = fileURLToPath(new URL('../../../../bin/bnlab.js', import.meta.url));
let home: string;

function bnlab(...args: string[]): Promise<{ code: number; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [BIN, '--home', home, ...args],
      { timeout: 120_000, cwd: home },
      (error, _stdout, stderr) =>
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stderr }),
    );
  });
}

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'bnlab-cli-queue-'));
});
afterAll(async () => {
  await rm(home, { recursive: true, force: true });
});

describe('bnlab worker / --redis', () => {
  it('refuses a URL that is not redis:// or rediss:// with exit code 2 and one line', async () => {
    const result = await bnlab('worker', '--redis', 'http://user:hunter2@box:6379');
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/--redis: a Redis URL starts with redis:\/\/ or rediss:\/\//);
  });

  it('says it cannot reach Redis (exit 3) without printing the password', async () => {
    // Port 1: nothing listens there.
    const result = await bnlab('run', 'bn-simple', '--redis', 'redis://:hunter2@127.0.0.1:1');
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/cannot reach Redis at redis:\/\/:\*\*\*@127\.0\.0\.1:1/);
    expect(result.stderr).not.toContain('hunter2');
  });
});
