/**
 * `<home>/settings.json`: where new runs train and the Redis URL. Written atomically
 * (`write-file-atomic`, fsynced, mode 0600) like the run store's records; validated on read.
 * The password is kept apart from the URL: encrypted with the OS key store when the desktop app
 * provides one (`SecretBox`, Electron's safeStorage), else as plain text in this file.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { MAX_RUNS_AT_ONCE, TrainOn } from '../api/settings.js';
import { readRecord, writeRecord } from '../store/json-file.js';

export const SETTINGS_FILE = 'settings.json';

/** Encrypts secrets with the operating system's key store (Electron: `safeStorage`). */
export interface SecretBox {
  /** True when encryption works here (on Linux it needs a keyring). */
  available(): boolean;
  /** The secret encrypted, as base64. */
  encrypt(plain: string): string;
  /** Throws when `stored` was not encrypted by this user's key store. */
  decrypt(stored: string): string;
}

const StoredPassword = z.discriminatedUnion('storage', [
  z.strictObject({ storage: z.literal('encrypted'), value: z.string().min(1) }),
  z.strictObject({ storage: z.literal('file'), value: z.string() }),
]);

const SettingsFile = z.strictObject({
  version: z.literal(1),
  trainOn: TrainOn,
  redis: z.strictObject({ url: z.string().min(1), password: StoredPassword.nullable() }).nullable(),
  /** Runs at once on this machine; absent or null: the machine's default. */
  runsAtOnce: z.number().int().min(1).max(MAX_RUNS_AT_ONCE).nullable().optional(),
});
type SettingsFile = z.infer<typeof SettingsFile>;

/** The settings in memory: the URL with its password (never sent to a client as it is). */
export interface LabSettingsValue {
  trainOn: TrainOn;
  redisUrl: string | null;
  passwordStorage: 'encrypted' | 'file' | 'none';
  runsAtOnce: number | null;
}

export const DEFAULT_SETTINGS: LabSettingsValue = {
  trainOn: 'local',
  redisUrl: null,
  passwordStorage: 'none',
  runsAtOnce: null,
};

/** Reads the settings; none saved yet → the defaults. Throws a sentence naming the problem. */
export async function readSettings(home: string, secrets?: SecretBox): Promise<LabSettingsValue> {
  const file = path.join(home, SETTINGS_FILE);
  const saved = await readRecord(file, SettingsFile);
  if (!saved) return DEFAULT_SETTINGS;
  const runsAtOnce = saved.runsAtOnce ?? null;
  if (!saved.redis) return { ...DEFAULT_SETTINGS, trainOn: saved.trainOn, runsAtOnce };
  const { url, password } = saved.redis;
  if (!password)
    return { trainOn: saved.trainOn, redisUrl: url, passwordStorage: 'none', runsAtOnce };
  if (password.storage === 'file') {
    return {
      runsAtOnce,
      trainOn: saved.trainOn,
      redisUrl: withPassword(url, password.value),
      passwordStorage: 'file',
    };
  }
  if (!secrets?.available()) {
    throw new Error(
      `${file}: the Redis password was encrypted by the desktop app and cannot be decrypted here; enter it again in Settings`,
    );
  }
  let plain: string;
  try {
    plain = secrets.decrypt(password.value);
  } catch (error) {
    throw new Error(
      `${file}: the Redis password cannot be decrypted (${(error as Error).message}); enter it again in Settings`,
    );
  }
  return {
    trainOn: saved.trainOn,
    redisUrl: withPassword(url, plain),
    passwordStorage: 'encrypted',
    runsAtOnce,
  };
}

/** Writes the settings atomically; returns how the password was stored. */
export async function writeSettings(
  home: string,
  value: Omit<LabSettingsValue, 'passwordStorage'>,
  secrets?: SecretBox,
): Promise<LabSettingsValue> {
  let redis: SettingsFile['redis'] = null;
  let passwordStorage: LabSettingsValue['passwordStorage'] = 'none';
  if (value.redisUrl) {
    const { url, password } = splitPassword(value.redisUrl);
    if (password === null) redis = { url, password: null };
    else if (secrets?.available()) {
      redis = { url, password: { storage: 'encrypted', value: secrets.encrypt(password) } };
      passwordStorage = 'encrypted';
    } else {
      redis = { url, password: { storage: 'file', value: password } };
      passwordStorage = 'file';
    }
  }
  const file: SettingsFile = {
    version: 1,
    trainOn: value.trainOn,
    redis,
    runsAtOnce: value.runsAtOnce,
  };
  await mkdir(home, { recursive: true });
  await writeRecord(path.join(home, SETTINGS_FILE), file, { mode: 0o600 });
  return { ...value, passwordStorage };
}

/** The URL without its password, and the password (decoded), or null when it has none. */
export function splitPassword(url: string): { url: string; password: string | null } {
  const parsed = new URL(url);
  if (!parsed.password) return { url, password: null };
  const password = decodeURIComponent(parsed.password);
  parsed.password = '';
  return { url: parsed.toString(), password };
}

/** The URL with `password` in it (percent-encoded). */
export function withPassword(url: string, password: string): string {
  const parsed = new URL(url);
  parsed.password = encodeURIComponent(password);
  return parsed.toString();
}
