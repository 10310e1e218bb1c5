/**
 * The desktop app's Redis password goes through Electron's safeStorage (faked here: electron
 * cannot run on this machine) into the settings file encrypted, comes back on the next start,
 * and is never readable by a lab without the key store (browser mode): that lab says so and
 * trains on this machine.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { safeStorageSecrets } from '../../../electron/secret-box.js';
import { callLab } from '../../../main/cli/call.js';
import { createLab } from '../../../main/lab/service.js';
import type { SecretBox } from '../../../main/lab/settings-file.js';
import { fakeElectron } from './fake-electron.js';

vi.mock('electron', async () => (await import('./fake-electron.js')).fakeElectron);

const URL_WITH_PASSWORD = 'redis://lab:s3cret-pw@127.0.0.1:6390/2';
const homes: string[] = [];
afterEach(async () => {
  for (const home of homes.splice(0)) await rm(home, { recursive: true, force: true });
  fakeElectron.safeStorage.getSelectedStorageBackend.mockImplementation(() => 'gnome_libsecret');
});

/** Saves a URL with a password through `secrets`, then reads it back through `readSecrets`. */
async function saveAndReopen(
  secrets: SecretBox | undefined,
  readSecrets: SecretBox | 'none' = secrets ?? 'none',
) {
  const home = await mkdtemp(join(tmpdir(), 'bnlab-secret-'));
  homes.push(home);
  const lab = await createLab({
    home,
    mode: 'electron',
    settings: { readOnlyReason: null, secrets },
  });
  // "This machine" with a URL kept for later: saved without connecting to it.
  const saved = await callLab(lab, 'settings.set', {
    trainOn: 'local',
    redisUrl: URL_WITH_PASSWORD,
  });
  await lab.close();
  const again = await createLab({
    home,
    mode: 'electron',
    settings: { readOnlyReason: null, ...(readSecrets === 'none' ? {} : { secrets: readSecrets }) },
  });
  const read = await callLab(again, 'settings.get', {});
  await again.close();
  return { saved, read, file: await readFile(join(home, 'settings.json'), 'utf8') };
}

describe('the Redis password in the desktop app', () => {
  it('is stored encrypted by safeStorage and read back on the next start', async () => {
    const { saved, read, file } = await saveAndReopen(safeStorageSecrets(fakeElectron.safeStorage));
    expect(saved.passwordStorage).toBe('encrypted');
    expect(fakeElectron.safeStorage.encryptString).toHaveBeenCalledWith('s3cret-pw');
    expect(file).not.toContain('s3cret-pw');
    expect(JSON.parse(file)).toMatchObject({
      redis: { url: 'redis://lab@127.0.0.1:6390/2', password: { storage: 'encrypted' } },
    });
    expect(read).toEqual(saved);
    expect(read.redisUrl).toBe('redis://lab:***@127.0.0.1:6390/2');
    expect(read.problem).toBeNull();
  });

  it('a lab without the key store (browser mode) cannot read it: it says so and trains here', async () => {
    const { read } = await saveAndReopen(safeStorageSecrets(fakeElectron.safeStorage), 'none');
    expect(read.activeTrainOn).toBe('local');
    expect(read.problem).toContain('encrypted by the desktop app');
    expect(read.problem).toContain('enter it again in Settings');
  });

  it("Linux's basic_text store protects nothing: the password goes to the file, and the view says so", async () => {
    fakeElectron.safeStorage.getSelectedStorageBackend.mockImplementation(() => 'basic_text');
    const secrets = safeStorageSecrets(fakeElectron.safeStorage, 'linux');
    expect(secrets.available()).toBe(false);
    const { saved, read, file } = await saveAndReopen(secrets);
    expect(saved.passwordStorage).toBe('file');
    expect(read.passwordStorage).toBe('file');
    expect(JSON.parse(file)).toMatchObject({
      redis: { password: { storage: 'file', value: 's3cret-pw' } },
    });
  });
});
