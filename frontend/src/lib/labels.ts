/** Patient-facing names for capsule products. */
import type { Product } from '../types';

/** Absorica LD is its own choice: only its mg differ from standard capsules (DOSE-5, DOSE-12, EVID-1). */
export const PRODUCT_CHOICES: { value: Product; label: string; hint: string }[] = [
  { value: 'standard', label: 'Standard capsules', hint: 'Take with a meal' },
  { value: 'food_independent', label: 'A with-or-without-food product', hint: 'For example Absorica' },
  { value: 'micronised', label: 'Absorica LD', hint: 'Micronised capsules, with or without food' },
];
