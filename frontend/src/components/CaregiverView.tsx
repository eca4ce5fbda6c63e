import { formatShortDate, formatWeekdayDate } from '../lib/dates';
import './caregivers.css';
import type { CaregiverDay, CaregiverDose, Caregiving, SharedCourseView } from '../types';

/** The one view of what a caregiver sees; the patient's "Preview as your caregiver" renders the same. */
const DOSE_WORDS: Record<CaregiverDose['status'], string> = {
  taken: 'Taken',
  skipped: 'Skipped',
  pending: 'Not ticked yet',
  paused: 'Paused',
};

const DAY_WORDS: Record<CaregiverDay['summary'], string> = {
  all_taken: 'All taken',
  some_taken: 'Some taken',
  skipped: 'Skipped',
  not_ticked: 'Not ticked',
  paused: 'Paused',
  not_started: 'Before the course',
  finished: 'After the course',
  none: 'No capsules planned',
};

const STATE_WORDS: Record<SharedCourseView['today']['state'], string | null> = {
  not_started: 'The course has not started yet.',
  finished: 'The course has ended.',
  paused: 'Capsules are paused for now.',
  active: null,
};

const VISIT_WORDS = { dermatologist_visit: 'Visit', blood_test: 'Blood test' } as const;

function SharedCourse({ view }: { view: SharedCourseView }) {
  const note = STATE_WORDS[view.today.state];
  return (
    <div class="caregiver-course">
      <h3>Today</h3>
      {note && <p>{note}</p>}
      {view.today.doses.length > 0 && (
        <ul class="caregiver-doses">
          {view.today.doses.map((dose) => (
            <li key={dose.slot} data-status={dose.status}>
              <span class="caregiver-time">{dose.time}</span> <span>{DOSE_WORDS[dose.status]}</span>
            </li>
          ))}
        </ul>
      )}
      <h3>Last 14 days</h3>
      <ol class="caregiver-days">
        {view.days.map((day) => (
          <li key={day.date} data-summary={day.summary}>
            <span class="caregiver-day">{formatWeekdayDate(day.date)}</span>
            <span>{DAY_WORDS[day.summary]}</span>
          </li>
        ))}
      </ol>
      {view.upcoming && (
        <>
          <h3>Coming up</h3>
          {view.upcoming.length === 0 ? (
            <p class="muted">No visits or blood tests booked.</p>
          ) : (
            <ul>
              {view.upcoming.map((item) => (
                <li key={item.starts_at_local}>
                  {VISIT_WORDS[item.kind]}: {formatShortDate(item.starts_at_local.slice(0, 10))}, {item.starts_at_local.slice(11, 16)}
                </li>
              ))}
            </ul>
          )}
        </>
      )}
    </div>
  );
}

export function CaregiverView({ data }: { data: Caregiving }) {
  return (
    <div class="caregiver-view">
      {data.courses.map((view) => (
        <SharedCourse key={view.course_id} view={view} />
      ))}
    </div>
  );
}
