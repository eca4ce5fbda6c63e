/** Patient-facing names of appointment and reminder kinds and of weekdays, in the patient's language. */
import { language, t } from '../i18n';
import type { AppointmentKind, ReminderRule } from '../types';

const APPOINTMENT_KIND_VALUES: AppointmentKind[] = ['dermatologist_visit', 'blood_test', 'pregnancy_test', 'other'];
const APPOINTMENT_KIND_NAMES = new Set<string>(APPOINTMENT_KIND_VALUES);

export function appointmentKinds(): { value: AppointmentKind; label: string }[] {
  return APPOINTMENT_KIND_VALUES.map((value) => ({ value, label: t(`appointments.kind.${value}`) }));
}

export function appointmentKindLabel(kind: string): string {
  return APPOINTMENT_KIND_NAMES.has(kind) ? t(`appointments.kind.${kind}`) : t('appointments.kind.unknown');
}

/** The reminder kinds, in the order Reminders lists them. */
export const REMINDER_KINDS = [
  'dose',
  'dose_followup',
  'refill',
  'appointment',
  'fasting',
  'pickup_window',
  'mood_checkin',
  'final_pregnancy_test',
  'contraception_end',
];

export function reminderName(rule: Pick<ReminderRule, 'kind' | 'slot'>, slotsPerDay: number): string {
  const name = t(REMINDER_KINDS.includes(rule.kind) ? `reminders.name.${rule.kind}` : 'reminders.name.unknown');
  if (rule.slot && slotsPerDay > 1) {
    return rule.kind === 'dose' ? t('reminders.name.dose_slot', { slot: rule.slot }) : t('reminders.name.with_slot', { name, slot: rule.slot });
  }
  return name;
}

/** Monday … Sunday (0 … 6, as the API counts), as the current language writes them. */
export function weekdays(): string[] {
  const format = new Intl.DateTimeFormat(language.value, { weekday: 'long', timeZone: 'UTC' });
  return Array.from({ length: 7 }, (_, i) => format.format(new Date(Date.UTC(2024, 0, 1 + i)))); // 1 Jan 2024: a Monday
}
