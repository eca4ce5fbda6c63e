import type { ComponentChildren } from 'preact';
import { t } from '../i18n';
import { setPreferredWeightUnit, type WeightUnit } from '../lib/prefs';
import { describedBy, HintAndError } from './Form';

export type { WeightUnit };

const LB_PER_KG = 2.2046226218;
/** A weight in kg as the patient reads it in `unit` (to 0.1). */
export function fromKg(kg: number, unit: WeightUnit): string {
  return String(unit === 'kg' ? kg : Math.round(kg * LB_PER_KG * 10) / 10);
}

/** What the server accepts, in kg. */
const KG_RANGE = [20, 350] as const;

function range(unit: WeightUnit): [number, number] {
  return unit === 'kg' ? [KG_RANGE[0], KG_RANGE[1]] : [Math.ceil(KG_RANGE[0] * LB_PER_KG), Math.floor(KG_RANGE[1] * LB_PER_KG)];
}

/** The weight in kg (stored as kg, to 0.1), or null when the entry is not a number. */
export function toKg(value: string, unit: WeightUnit): number | null {
  const n = Number(value.replace(',', '.'));
  if (!value.trim() || !Number.isFinite(n)) return null;
  return Math.round((unit === 'kg' ? n : n / LB_PER_KG) * 10) / 10;
}

/** An error naming the allowed range in the unit the patient chose, or undefined when the weight is fine. */
export function weightError(value: string, unit: WeightUnit): string | undefined {
  const [low, high] = range(unit);
  const n = Number(value.replace(',', '.'));
  if (value.trim() && Number.isFinite(n) && n >= low && n <= high) return undefined;
  return t(`setup.error.weight.${unit}`, { low, high });
}

interface Props {
  id: string;
  label: string;
  hint?: ComponentChildren;
  value: string;
  unit: WeightUnit;
  error?: string;
  onValue: (value: string) => void;
  onUnit: (unit: WeightUnit) => void;
}

/** Weight with a kg / lb choice (kept on this phone); the number is converted to kg before it is sent. */
export function WeightField({ id, label, hint, value, unit, error, onValue, onUnit }: Props) {
  const described = describedBy(id, hint, error);
  const [low, high] = range(unit);
  return (
    <div class={error ? 'field field-invalid' : 'field'}>
      <label for={id}>{label}</label>
      <HintAndError id={id} hint={hint} error={error} />
      <span class="input-row">
        <input
          id={id}
          name={id}
          type="number"
          inputMode="decimal"
          min={low}
          max={high}
          step="any"
          value={value}
          aria-invalid={error ? 'true' : undefined}
          aria-describedby={described}
          onInput={(e) => onValue((e.currentTarget as HTMLInputElement).value)}
        />
        <select
          id={`${id}-unit`}
          class="unit-select"
          aria-label={t('setup.weight.unit')}
          value={unit}
          onChange={(e) => {
            const next = (e.currentTarget as HTMLSelectElement).value as WeightUnit;
            const kg = toKg(value, unit);
            if (kg !== null && next !== unit) onValue(fromKg(kg, next));
            setPreferredWeightUnit(next);
            onUnit(next);
          }}
        >
          <option value="kg">kg</option>
          <option value="lb">lb</option>
        </select>
      </span>
    </div>
  );
}
