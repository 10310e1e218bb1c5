/**
 * The Settings view: where new runs train (this machine, or `bnlab worker`s through Redis) and
 * the Redis URL. The lab returns the URL with its password as `***`; the password field stays
 * empty unless the user types a new one, so a password never comes back to the page.
 */
import type {
  ConnectionTestResult,
  LabClient,
  SettingsView,
  TrainOn,
} from '../../main/api/index.js';
import { composeRedisUrl } from '../lib/redis-url.js';

export class SettingsState {
  view = $state.raw<SettingsView | null>(null);
  loadError = $state<string | null>(null);
  trainOn = $state<TrainOn>('local');
  redisUrl = $state('');
  password = $state('');
  /** Runs at once on this machine; '' (or null from a cleared number field): the machine's default. */
  runsAtOnce = $state<number | string | null>('');
  testing = $state(false);
  testResult = $state.raw<ConnectionTestResult | null>(null);
  saving = $state(false);
  saveError = $state<string | null>(null);
  saved = $state<string | null>(null);

  readonly readOnly = $derived(this.view?.readOnlyReason != null);

  constructor(private readonly client: LabClient) {}

  async load(): Promise<void> {
    try {
      this.apply(await this.client.call('settings.get', {}));
      this.loadError = null;
    } catch (error) {
      this.loadError = messageOf(error);
    }
  }

  async test(): Promise<void> {
    this.testResult = null;
    let url: string;
    try {
      url = this.url();
    } catch (error) {
      this.testResult = { status: 'invalid-url', message: messageOf(error), workers: [] };
      return;
    }
    if (url === '') {
      this.testResult = { status: 'invalid-url', message: 'Enter a Redis URL first.', workers: [] };
      return;
    }
    this.testing = true;
    try {
      this.testResult = await this.client.call('settings.test', { redisUrl: url });
    } catch (error) {
      this.testResult = { status: 'invalid-url', message: messageOf(error), workers: [] };
    } finally {
      this.testing = false;
    }
  }

  /** Saves; true when the lab accepted it (Redis chosen: after it connected). */
  async save(): Promise<boolean> {
    this.saveError = null;
    this.saved = null;
    this.saving = true;
    try {
      const url = this.url();
      const view = await this.client.call('settings.set', {
        trainOn: this.trainOn,
        redisUrl: url === '' ? null : url,
        runsAtOnce: this.runsAtOnceValue(),
      });
      this.apply(view);
      this.saved =
        view.activeTrainOn === 'redis'
          ? `Saved. New runs are queued on ${view.activeRedisUrl ?? ''} for bnlab workers.`
          : 'Saved. New runs train on this machine.';
      return true;
    } catch (error) {
      this.saveError = messageOf(error);
      return false;
    } finally {
      this.saving = false;
    }
  }

  /** The number field's value: null for empty (the machine's default). */
  private runsAtOnceValue(): number | null {
    const raw = this.runsAtOnce;
    if (raw === null || raw === '') return null;
    return Number(raw);
  }

  private url(): string {
    return composeRedisUrl(this.redisUrl, this.password);
  }

  private apply(view: SettingsView): void {
    this.view = view;
    this.trainOn = view.trainOn;
    this.redisUrl = view.redisUrl ?? '';
    this.password = '';
    this.runsAtOnce = view.runsAtOnce ?? '';
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
