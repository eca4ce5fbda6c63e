import { formatDay, t } from '../i18n';
import './caregivers.css';
import type { Caregiving, SharedCourseView } from '../types';

/** The one view of what a caregiver sees; the patient's "Preview as your caregiver" renders the same. */
const VISIT_KEYS = { dermatologist_visit: 'caregiver.view.visit', blood_test: 'caregiver.view.blood_test' } as const;

function SharedCourse({ view }: { view: SharedCourseView }) {
  const state = view.today.state;
  return (
    <div class="caregiver-course">
      <h3>{t('caregiver.view.today')}</h3>
      {state !== 'active' && <p>{t(`caregiver.state.${state}`)}</p>}
      {view.today.doses.length > 0 && (
        <ul class="caregiver-doses">
          {view.today.doses.map((dose) => (
            <li key={dose.slot} data-status={dose.status}>
              <span class="caregiver-time">{dose.time}</span> <span>{t(`caregiver.dose.${dose.status}`)}</span>
            </li>
          ))}
        </ul>
      )}
      <h3>{t('caregiver.view.days')}</h3>
      <ol class="caregiver-days">
        {view.days.map((day) => (
          <li key={day.date} data-summary={day.summary}>
            <span class="caregiver-day">{formatDay(day.date, { weekday: 'short', day: 'numeric', month: 'short' })}</span>
            <span>{t(`caregiver.day.${day.summary}`)}</span>
          </li>
        ))}
      </ol>
      {view.upcoming && (
        <>
          <h3>{t('caregiver.view.upcoming')}</h3>
          {view.upcoming.length === 0 ? (
            <p class="muted">{t('caregiver.view.no_upcoming')}</p>
          ) : (
            <ul>
              {view.upcoming.map((item) => (
                <li key={item.starts_at_local}>
                  {t('caregiver.view.upcoming_item', {
                    kind: t(VISIT_KEYS[item.kind]),
                    day: formatDay(item.starts_at_local.slice(0, 10), { weekday: 'short', day: 'numeric', month: 'short' }),
                    time: item.starts_at_local.slice(11, 16),
                  })}
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
