import { describe, expect, it, vi } from 'vitest';
import {
  ensureElectron,
  type ElectronInstall,
  type Fetched,
} from '../../../scripts/ensure-electron.js';

/** An Electron install that is there after `fetch` only when the fetch succeeds. */
function fakeInstall(initially: boolean, fetched: Fetched): ElectronInstall & { fetches: number } {
  let present = initially;
  const install = {
    version: '38.8.6',
    fetches: 0,
    isInstalled: () => present,
    fetch: () => {
      install.fetches += 1;
      if (fetched.ok) present = true;
      return Promise.resolve(fetched);
    },
  };
  return install;
}

describe('npm start: Electron on first use', () => {
  vi.spyOn(console, 'log').mockImplementation(() => undefined);

  it('starts at once when the binary is there', async () => {
    const install = fakeInstall(true, { ok: false, why: 'must not be called' });
    expect(await ensureElectron(install)).toEqual({ ok: true, fetched: false });
    expect(install.fetches).toBe(0);
  });

  it('fetches the binary once when the install skipped it', async () => {
    const install = fakeInstall(false, { ok: true });
    expect(await ensureElectron(install)).toEqual({ ok: true, fetched: true });
    expect(install.fetches).toBe(1);
  });

  it('says in one line what is missing, why, and how to get it when the fetch fails', async () => {
    const why =
      'RequestError: getaddrinfo ENOTFOUND github.com\n    at ClientRequest.<anonymous> (…)';
    const result = await ensureElectron(fakeInstall(false, { ok: false, why }));
    if (result.ok) throw new Error('expected a failure');
    expect(result.message).not.toContain('\n');
    expect(result.message).toContain("Electron 38.8.6's binary");
    expect(result.message).toContain('getaddrinfo ENOTFOUND github.com');
    expect(result.message).not.toContain('ClientRequest');
    expect(result.message).toContain('node node_modules/electron/install.js');
  });

  it('does not claim success when the installer exits 0 without a binary', async () => {
    const install = { ...fakeInstall(false, { ok: true }), isInstalled: () => false };
    const result = await ensureElectron(install);
    expect(result.ok).toBe(false);
    expect(result.ok ? '' : result.message).toContain('no binary');
  });
});
