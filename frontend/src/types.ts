export type Product = 'standard' | 'food_independent' | 'micronised';
export type Programme = 'us_ipledge' | 'eu_ppp' | 'none';
export type DoseStatus = 'pending' | 'taken' | 'skipped' | 'paused';
export type CourseStatus = 'not_started' | 'active' | 'finished';

export interface Session {
  patientId: string;
  token: string;
  deviceId: string;
}

export interface DosePlanSegment {
  from_date: string;
  daily_mg?: number;
  cycle_mg?: number[];
  doses_per_day: 1 | 2;
  dose_times: string[];
  /** Each dose with its own mg as prescribed (daily_mg is then their sum); absent: the even split. */
  doses?: { time: string; mg: number }[];
}

export interface CourseInput {
  start_date: string;
  weight_kg: number;
  target_mg_per_kg: number | null;
  timezone: string;
  product: Product;
  programme: Programme;
  pregnancy_prevention: boolean;
  dose_plan: DosePlanSegment[];
  /** The programme's rule set (GET /rule-sets); the server fills in the programme's current one. */
  rule_set?: string;
  /** ISO 3166 code for the help numbers; null: not listed; left out: from the time zone. */
  country?: string | null;
  clinic_phone?: string | null;
  /** Sent (true) once the patient confirmed a start more than a year back or 60 days ahead. */
  confirm_start_date?: boolean;
}

/** Capsules stopped from `started_on` until the day before `resumed_on` (null: still stopped). */
export interface Pause {
  id: string;
  started_on: string;
  resumed_on: string | null;
  reason: string;
}

/** One recorded weight (the first is the start weight). */
export interface WeightRecord {
  recorded_on: string;
  weight_kg: number;
  /** The prescriber re-based the plan on this weight: mg/kg is counted by it from then on. */
  rebased: boolean;
}

/** The weight the course's mg/kg is counted by. */
export interface MgPerKgWeight {
  weight_kg: number;
  recorded_on: string | null;
  basis: 'start' | 'rebased';
}

export interface Course extends CourseInput {
  id: string;
  ended_on: string | null;
  pauses?: Pause[];
  weights?: WeightRecord[];
  created_at: string;
  updated_at: string;
}

/** A public page a clinical fact comes from. */
export interface FactSource {
  title: string;
  url: string;
}

/** A clinical fact the app's texts cite (GET /sources). */
export interface Fact {
  id: string;
  statement: string;
  confidence: string;
  sources: FactSource[];
}

export interface FactText {
  text: string;
  facts: string[];
  /** Red flags only (RED-13): emergency number now, stop and call now, or the dermatology team today. */
  level?: 'emergency' | 'urgent' | 'today';
}

export interface Phase {
  key: string;
  title: string;
  summary: string;
  starts_on: string | null;
  ends_on: string | null;
  /** The dates rest on a projection (no confirmed last capsule yet). */
  estimated?: boolean;
  current: boolean;
  expectations: FactText[];
  tips: FactText[];
  report_now: FactText[];
}

export interface Milestone {
  kind: string;
  date: string;
  title: string;
  description: string;
  facts: string[];
  estimated: boolean;
  /** done (reached, confirmed or booked and passed) | missed (a past usual visit or test with nothing booked) | upcoming. */
  state?: 'done' | 'missed' | 'not_done' | 'unknown' | 'upcoming' | null;
  /** The booked appointment shown in place of the usual date. */
  booked?: { appointment_id: string; starts_at: string; place: string | null } | null;
  appointment_kind?: string | null;
}

export interface TodayDose {
  slot: number;
  time: string;
  mg: number;
  status: DoseStatus;
  dose_id: string | null;
  taken_at: string | null;
}

export interface MissingLog {
  date: string;
  slot: number;
  mg: number;
}

export interface RuleSetSummary {
  id: string;
  programme: Programme;
  default: boolean;
  version: string;
  title: string;
  tests_before_start: number;
  test_interval_days: number;
  visit_interval_days: number;
  pickup_window_days: number | null;
  lockout_days: number | null;
  home_tests: boolean;
  missed_dose: FactText;
  facts: string[];
}

/** The logged total has reached the target and the course goes on (DOSE-13). */
export interface TargetReached extends FactText {
  on: string;
}

/** From the recorded last capsule on: its day, and each precaution still applying with the day it ends. */
export interface AfterCourse {
  last_capsule_on: string;
  last_capsule: FactText & { date: string };
  summary: FactText;
  /** `text` has "{date}" for `date`; `until` null: a test result, not a date, ends it. */
  still_applies: (FactText & { key: string; date: string; until: string | null })[];
}

export interface Today {
  date: string;
  after_course?: AfterCourse | null;
  day_of_course: number | null;
  week_of_course: number | null;
  status: CourseStatus;
  ended_on?: string | null;
  /** The pause covering this day (the server's view; the device lays pending pauses over it). */
  pause?: (Pause & FactText) | null;
  paused_days?: number;
  target_reached?: TargetReached | null;
  while_on?: FactText[];
  target_note?: FactText | null;
  last_dose_estimated?: boolean;
  rule_set?: RuleSetSummary;
  phase: Phase | null;
  doses: TodayDose[];
  with_food: boolean;
  dose_guidance: FactText[];
  cumulative_mg: number;
  cumulative_mg_per_kg: number;
  mg_per_kg_weight?: MgPerKgWeight;
  target_mg: number | null;
  target_mg_per_kg: number | null;
  target_percent: number | null;
  projected_last_dose_on: string | null;
  days_remaining: number | null;
  missing_logs: MissingLog[];
  missing_logs_count: number;
  next_milestones: Milestone[];
  disclaimer: string;
}

export interface Timeline {
  today: string;
  current_phase: string | null;
  projected_last_dose_on: string | null;
  last_dose_estimated?: boolean;
  ended_on?: string | null;
  target_reached?: TargetReached | null;
  phases: Phase[];
  milestones: Milestone[];
  while_on?: FactText[];
  rule_set?: RuleSetSummary;
  report_now: FactText[];
  disclaimer: string;
}

export interface DoseLog {
  id: string;
  date: string;
  slot: number;
  status: 'taken' | 'skipped';
  mg: number;
  taken_at: string | null;
}

/** PATCH /courses/{id}/doses/{dose_id}: any of these. */
export type DoseCorrection = Partial<Pick<DoseWrite, 'status' | 'mg' | 'taken_at'>>;

export interface DoseWrite {
  date: string;
  slot: number;
  status: 'taken' | 'skipped';
  mg: number;
  taken_at: string | null;
}

export interface Device {
  id: string;
  label: string | null;
  created_at: string;
  last_seen_at: string | null;
  current: boolean;
}

export interface LinkCode {
  code: string;
  expires_at: string;
}

export interface Saved<T> {
  data: T;
  savedAt: number;
}

export type ReminderKind =
  | 'dose'
  | 'dose_followup'
  | 'appointment'
  | 'fasting'
  | 'pickup_window'
  | 'final_pregnancy_test'
  | 'contraception_end'
  | 'refill'
  | 'mood_checkin';

export type OccurrenceStatus = 'scheduled' | 'pending' | 'claimed' | 'sent' | 'failed' | 'missed' | 'cancelled';

/** One firing of a reminder; `local_time` carries the course's UTC offset. */
export interface ReminderOccurrence {
  occurrence_id: string | null;
  reminder_id: string;
  course_id: string;
  kind: ReminderKind | string;
  status: OccurrenceStatus | string;
  fires_at: string;
  local_time: string;
  timezone: string;
  title: string;
  body: string;
  /** The texts with `{name}` placeholders and their values (lib/local-text.ts), when they hold a time or day. */
  local?: { title?: string; body?: string; values: Record<string, string> } | null;
  date: string | null;
  slot: number | null;
  appointment_id: string | null;
}

export interface ReminderRule {
  id: string;
  course_id: string;
  kind: ReminderKind | string;
  slot: number | null;
  enabled: boolean;
  time: string | null;
  default_time: string | null;
  lead_minutes: number | null;
  delay_minutes: number | null;
  /** refill: whole days before the next 30-day supply is needed. */
  lead_days?: number | null;
  /** Weekly kinds (mood_checkin): 0 = Monday … 6 = Sunday. */
  weekday?: number | null;
  timezone: string;
  next: ReminderOccurrence | null;
}

export type ReminderRulePatch = Partial<
  Pick<ReminderRule, 'enabled' | 'time' | 'lead_minutes' | 'delay_minutes' | 'lead_days' | 'weekday'>
>;

export interface ReminderSettings {
  quiet_start: string | null;
  quiet_end: string | null;
}

export interface PushDevice {
  id: string;
  endpoint_origin: string;
  user_agent: string | null;
  created_at: string;
  last_seen_at: string;
  last_success_at: string | null;
  last_failure_at: string | null;
  last_status: number | null;
  last_error: string | null;
}

export interface PushTestResult {
  subscription_id: string;
  status_code: number | null;
  ok: boolean;
  gone: boolean;
  error: string | null;
}

/** A test notification queued for the reminder worker; `results` once `done`. */
export interface PushTest {
  id: string;
  /** The one device tested (its Test button); null: every device. */
  subscription_id?: string | null;
  status: 'queued' | 'sending' | 'done';
  created_at: string;
  finished_at: string | null;
  results: PushTestResult[] | null;
}

export type AppointmentKind = 'dermatologist_visit' | 'blood_test' | 'pregnancy_test' | 'other';

export interface AppointmentInput {
  kind: AppointmentKind;
  /** Local wall-clock date-time in the course's zone, no offset: 2026-03-02T09:30. */
  starts_at: string;
  place: string | null;
  notes: string | null;
  fasting: boolean;
}

export interface Appointment extends AppointmentInput {
  id: string;
  course_id: string;
  created_at: string;
  updated_at: string;
}

export interface AppointmentSuggestion {
  kind: AppointmentKind;
  starts_at: string;
  fasting: boolean;
  reason: string;
  facts: string[];
  pickup_window_ends: string | null;
  already_booked: boolean;
}

/** One dose as a caregiver sees it: no mg, no notes, a pause without its reason. */
export interface CaregiverDose {
  slot: number;
  time: string;
  status: 'taken' | 'skipped' | 'pending' | 'paused';
}

export interface CaregiverDay {
  date: string;
  summary: 'all_taken' | 'some_taken' | 'skipped' | 'not_ticked' | 'paused' | 'not_started' | 'finished' | 'none';
  doses: CaregiverDose[];
}

export interface SharedCourseView {
  course_id: string;
  today: { date: string; state: 'not_started' | 'active' | 'paused' | 'finished'; doses: CaregiverDose[] };
  days: CaregiverDay[];
  upcoming?: { kind: 'dermatologist_visit' | 'blood_test'; starts_at_local: string }[];
}

export interface Caregiving {
  courses: SharedCourseView[];
  nudge: boolean;
  nudge_allowed: boolean;
  quiet_start: string | null;
  quiet_end: string | null;
  push: boolean;
}

export interface CaregiverLink {
  id: string;
  course_id: string;
  created_at: string;
  last_seen_at: string | null;
  show_appointments: boolean;
  nudge_allowed: boolean;
  nudge: boolean;
  nudge_active: boolean;
}

export interface CaregiverInvite {
  code: string;
  link: string;
  expires_at: string;
}
