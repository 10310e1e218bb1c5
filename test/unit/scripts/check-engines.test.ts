import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const SCRIPT = new URL('../../../scripts/check-engines.mjs', import.meta.url);

/** Runs the preinstall check as npm would, with npm's user-agent string naming an npm version. */
function check(npmVersion: string): { status: number | null; stderr: string } {
  const result = spawnSync(process.execPath, [SCRIPT.pathname], {
    env: { ...process.env, npm_config_user_agent: `npm/${npmVersion} node/${process.version}` },
    encoding: 'utf8',
  });
  return { status: result.status, stderr: result.stderr };
}

describe('install: Node and npm versions (package.json engines)', () => {
  it('lets a recent npm install', () => {
    expect(check('11.16.0')).toEqual({ status: 0, stderr: '' });
  });

  it('stops an npm that ignores allowScripts with one line saying how to upgrade', () => {
    const { status, stderr } = check('10.9.2');
    expect(status).toBe(1);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toContain('npm 10.9.2 is older than 11.16');
    expect(stderr).toContain('npm install -g npm@11');
  });

  it('has npm ≥ 10.9 refuse an older npm or Node before installing anything (devEngines = engines)', () => {
    const manifest = JSON.parse(
      readFileSync(new URL('../../../package.json', import.meta.url), 'utf8'),
    ) as { engines: Record<string, string>; devEngines: Record<string, unknown> };
    expect(manifest.devEngines).toEqual({
      runtime: { name: 'node', version: manifest.engines.node, onFail: 'error' },
      packageManager: { name: 'npm', version: manifest.engines.npm, onFail: 'error' },
    });
  });
});
