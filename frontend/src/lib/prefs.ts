/**
 * Small choices that belong to this phone rather than to the course (the server stores weight in kg
 * only): kept in localStorage so a form can read them before its first paint, and removed with the
 * rest of the device's data ("Delete everything", leaving for another account).
 */
import { signal } from '@preact/signals';

export type WeightUnit = 'kg' | 'lb';

const PREFIX = 'clearcourse.';
const WEIGHT_UNIT = `${PREFIX}weight-unit`;
const UNDER_18 = `${PREFIX}under18`;

function read(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return null; // storage blocked (private mode, settings): the default applies
  }
}

function remove(key: string): void {
  try {
    localStorage.removeItem(key);
  } catch {
    // Storage blocked: nothing was kept.
  }
}

function write(key: string, value: string): void {
  try {
    localStorage.setItem(key, value);
  } catch {
    // Not kept across reloads where storage is blocked; the choice still holds on this screen.
  }
}

/** The unit the patient last chose for their weight on this phone; kg until they choose. */
export function preferredWeightUnit(): WeightUnit {
  return read(WEIGHT_UNIT) === 'lb' ? 'lb' : 'kg';
}

export function setPreferredWeightUnit(unit: WeightUnit): void {
  write(WEIGHT_UNIT, unit);
}

/** The patient's own answer to "are you under 18?" (HELP-5), kept on this phone only; null = not
 * answered (then no youth line is shown). */
export const under18 = signal<boolean | null>(readAge());

function readAge(): boolean | null {
  const value = read(UNDER_18);
  return value === 'yes' ? true : value === 'no' ? false : null;
}

export function setUnder18(value: boolean | null): void {
  if (value === null) remove(UNDER_18);
  else write(UNDER_18, value ? 'yes' : 'no');
  under18.value = value;
}

/** Forgets every preference of this phone. */
export function clearPreferences(): void {
  try {
    for (const key of Object.keys(localStorage)) if (key.startsWith(PREFIX)) localStorage.removeItem(key);
  } catch {
    // Nothing readable is nothing to remove.
  }
  under18.value = null;
}
