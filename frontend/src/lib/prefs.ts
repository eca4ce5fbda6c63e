/**
 * Small choices that belong to this phone rather than to the course (the server stores weight in kg
 * only): kept in localStorage so a form can read them before its first paint, and removed with the
 * rest of the device's data ("Delete everything", leaving for another account).
 */
export type WeightUnit = 'kg' | 'lb';

const PREFIX = 'clearcourse.';
const WEIGHT_UNIT = `${PREFIX}weight-unit`;

function read(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return null; // storage blocked (private mode, settings): the default applies
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

/** Forgets every preference of this phone. */
export function clearPreferences(): void {
  try {
    for (const key of Object.keys(localStorage)) if (key.startsWith(PREFIX)) localStorage.removeItem(key);
  } catch {
    // Nothing readable is nothing to remove.
  }
}
