/** Patient-facing names for capsule products, reminder and appointment kinds. */
import type { AppointmentKind, ReminderRule } from '../types';

export const APPOINTMENT_KINDS: { value: AppointmentKind; label: string }[] = [
  { value: 'dermatologist_visit', label: 'Dermatologist visit' },
  { value: 'blood_test', label: 'Blood test' },
  { value: 'pregnancy_test', label: 'Pregnancy test' },
  { value: 'other', label: 'Other' },
];

export function appointmentKindLabel(kind: string): string {
  return APPOINTMENT_KINDS.find((k) => k.value === kind)?.label ?? 'Appointment';
}

const REMINDER_NAMES: Record<string, string> = {
  dose: 'Capsule',
  dose_followup: 'Follow-up if a capsule is not marked',
  appointment: 'Appointments',
  fasting: 'Fasting before a blood test',
  pickup_window: 'iPLEDGE pick-up window closing',
  final_pregnancy_test: 'Final pregnancy test',
  contraception_end: 'End of contraception',
  refill: 'Next prescription (30-day supplies)',
  mood_checkin: 'Weekly check-in: how you are feeling',
};

/** 0 = Monday … 6 = Sunday, as the API counts. */
export const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

export function reminderName(rule: Pick<ReminderRule, 'kind' | 'slot'>, slotsPerDay: number): string {
  const name = REMINDER_NAMES[rule.kind] ?? 'Reminder';
  if (rule.slot && slotsPerDay > 1) return rule.kind === 'dose' ? `Capsule ${rule.slot}` : `${name} (capsule ${rule.slot})`;
  return name;
}
