/**
 * The New-experiment form: preset or custom, validated locally on every change (errors shown next
 * to the fields), validated again by the lab, then created.
 */
import type { BackendChoice, LabClient, PresetSummary } from '../../main/api/index.js';
import { toApiError } from '../../main/api/index.js';
import {
  customFormFromSpec,
  customSpec,
  defaultCustomForm,
  newVariant,
  presetParams,
  toFieldErrors,
  validateCustom,
  validatePreset,
  type CustomForm,
  type FieldErrors,
  type PresetForm,
} from '../lib/experiment-form.js';

export class NewExperimentState {
  mode = $state<'preset' | 'custom'>('preset');
  backend = $state<BackendChoice>('auto');
  presets = $state.raw<PresetSummary[]>([]);
  presetsError = $state<string | null>(null);
  preset = $state<PresetForm>({
    preset: '',
    scale: 'quick',
    dataset: 'mnist',
    epochs: null,
    seeds: null,
  });
  custom = $state<CustomForm>(defaultCustomForm());
  /** The preset and scale the custom form was filled from ("bn-simple (quick)"), null before. */
  customSource = $state<string | null>(null);
  /** The custom form as last filled from a preset: while it is unchanged, it follows the preset. */
  #filledForm: string = JSON.stringify(this.custom);
  /** Errors the lab reported on the last submit (cleared on edit of that field). */
  serverErrors = $state<FieldErrors>({});
  submitError = $state<string | null>(null);
  submitting = $state(false);

  readonly selectedPreset = $derived(this.presets.find((p) => p.id === this.preset.preset) ?? null);
  readonly errors = $derived<FieldErrors>({
    ...(this.mode === 'preset'
      ? validatePreset(this.preset, this.backend)
      : validateCustom(this.custom)),
    ...this.serverErrors,
  });
  readonly valid = $derived(Object.keys(this.errors).length === 0);

  constructor(private readonly client: LabClient) {}

  async loadPresets(): Promise<void> {
    try {
      this.presets = await this.client.call('presets.list', {});
      const first = this.presets[0];
      if (first && !this.preset.preset) {
        this.preset.preset = first.id;
        this.preset.dataset = first.defaultDataset;
      }
      this.fillCustomFromPreset();
      this.presetsError = null;
    } catch (error) {
      this.presetsError = error instanceof Error ? error.message : String(error);
    }
  }

  choosePreset(id: string): void {
    this.preset.preset = id;
    const p = this.presets.find((x) => x.id === id);
    if (p) this.preset.dataset = p.defaultDataset;
  }

  /**
   * Fills the custom form from the chosen preset at the chosen scale, dataset, epochs and seeds
   * (so its defaults are the preset's, not other numbers), unless the user has edited it since.
   */
  fillCustomFromPreset(): void {
    const p = this.selectedPreset;
    if (!p || JSON.stringify(this.custom) !== this.#filledForm) return;
    const form = customFormFromSpec(p[this.preset.scale].spec);
    form.dataset = this.preset.dataset;
    // As the lab does for a preset: flips and crops for natural images only.
    form.extraTraining = { ...form.extraTraining, augment: this.preset.dataset === 'cifar10' };
    if (this.preset.epochs !== null && !Number.isNaN(this.preset.epochs))
      form.epochs = this.preset.epochs;
    if (this.preset.seeds !== null && !Number.isNaN(this.preset.seeds))
      form.seeds = this.preset.seeds;
    this.custom = form;
    this.#filledForm = JSON.stringify(this.custom);
    this.customSource = `${p.id} (${this.preset.scale})`;
  }

  addVariant(): void {
    this.custom.variants.push(newVariant(this.custom.variants));
  }

  removeVariant(index: number): void {
    this.custom.variants.splice(index, 1);
  }

  clearServerError(path: string): void {
    if (path in this.serverErrors) {
      const { [path]: _removed, ...rest } = this.serverErrors;
      this.serverErrors = rest;
    }
  }

  /** Validates (locally, then by the lab) and creates; returns the new experiment id or null. */
  async submit(): Promise<string | null> {
    this.serverErrors = {};
    if (!this.valid) {
      this.submitError = 'Fix the fields marked in red first.';
      return null;
    }
    this.submitting = true;
    try {
      if (this.mode === 'custom') {
        const checked = await this.client.call('experiments.validate', {
          spec: customSpec(this.custom),
        });
        if (!checked.ok) {
          this.serverErrors = toFieldErrors(checked.issues);
          this.submitError = 'The lab refused some values; see the fields marked in red.';
          return null;
        }
        const detail = await this.client.call('experiments.create', {
          spec: checked.spec,
          backend: this.backend,
        });
        this.submitError = null;
        return detail.experiment.id;
      }
      const params = presetParams(this.preset, this.backend) as Parameters<
        typeof this.client.call<'experiments.create'>
      >[1];
      const detail = await this.client.call('experiments.create', params);
      this.submitError = null;
      return detail.experiment.id;
    } catch (error) {
      const apiError = toApiError(error);
      if (apiError.issues) this.serverErrors = toFieldErrors(apiError.issues);
      this.submitError = `Could not start the experiment: ${apiError.message}`;
      return null;
    } finally {
      this.submitting = false;
    }
  }
}
