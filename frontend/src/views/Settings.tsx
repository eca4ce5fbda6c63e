import { CourseDetailsForm, DoseChangeForm } from '../components/CourseEditor';
import { KeepEdits } from '../components/KeepEdits';
import { FinishCourse } from '../components/CourseEnd';
import { PauseSettings } from '../components/PauseCard';
import { ProgrammeSettings } from '../components/ProgrammeSettings';
import { DeleteCourse, DeleteEverything, ExportData } from '../components/DataPanel';
import { DevicesList, LinkCodeCreator } from '../components/DevicesPanel';
import { Disclaimer } from '../components/Disclaimer';
import { lazyPanel } from '../components/LazyView';
import { Link } from '../components/Link';
import { Section } from '../components/Section';
import { language, t } from '../i18n';
import { course } from '../store';

/** The caregivers panel loads on first use (kept out of the first-load budget). */
const Caregivers = lazyPanel(() => import('../components/CaregiversPanel').then((m) => m.CaregiversPanel), ['caregiver', 'errors', 'settings']);

// Only this panel of Settings talks to the record API: its code loads when Settings opens.
const CalendarFeed = lazyPanel(() => import('../components/CalendarFeed').then((m) => m.CalendarFeed), ['errors', 'jobs', 'settings', 'setup']);
// The language picker too: it stays out of the first load.
const LanguagePicker = lazyPanel(() => import('../components/LanguagePicker').then((m) => m.LanguagePicker), []);

export function Settings() {
  const current = course.value;
  return (
    <div class="view" lang={language.value}>
      <header class="view-header">
        <h1 tabIndex={-1}>{t('settings.title')}</h1>
      </header>
      {current && (
        <>
          <Section id="course-heading" title={t('settings.course.heading')}>
            <KeepEdits current={current}>{(shown) => <CourseDetailsForm current={shown} />}</KeepEdits>
          </Section>
          <Section id="dose-heading" title={t('settings.dose.heading')}>
            <KeepEdits current={current}>{(shown) => <DoseChangeForm current={shown} />}</KeepEdits>
          </Section>
          <Section id="help-settings-heading" title={t('settings.programme.heading')}>
            <KeepEdits current={current}>{(shown) => <ProgrammeSettings current={shown} />}</KeepEdits>
          </Section>
          <Section id="pause-settings-heading" title={t('settings.pause.heading')}>
            <PauseSettings current={current} />
          </Section>
          <Section id="caregivers-heading" title={t('settings.caregivers.heading')}>
            <Caregivers current={current} />
          </Section>
          <Section id="end-heading" title={t('settings.end.heading')}>
            <FinishCourse current={current} />
          </Section>
          <Section id="delete-course-heading" title={t('settings.delete_course.heading')}>
            <p>{t('settings.delete_course.intro')}</p>
            <DeleteCourse key={current.id} current={current} />
          </Section>
        </>
      )}
      <Section id="reminders-heading" title={t('settings.reminders.heading')}>
        <p>
          <Link href="/reminders">{t('settings.reminders.link')}</Link>
          {t('settings.reminders.what')}
        </p>
        <p>
          <Link href="/appointments">{t('settings.appointments.link')}</Link>
          {t('settings.appointments.what')}
        </p>
      </Section>
      {current && (
        <Section id="calendar-heading" title={t('settings.calendar.heading')}>
          <CalendarFeed courseId={current.id} />
        </Section>
      )}
      <Section id="language-heading" title="Language · Idioma · Sprache">
        <LanguagePicker labelledBy="language-heading" />
      </Section>
      <Section id="link-heading" title={t('settings.link.heading')}>
        <LinkCodeCreator />
      </Section>
      <Section id="devices-heading" title={t('settings.devices.heading')}>
        <DevicesList />
      </Section>
      <Section id="data-heading" title={t('settings.data.heading')}>
        <p>{t('settings.data.intro')}</p>
        <ExportData />
        <DeleteEverything />
      </Section>
      <Section id="sources-heading" title={t('settings.sources.heading')}>
        <p>
          {t('settings.sources.intro')} <Link href="/sources">{t('settings.sources.link')}</Link>
          {t('settings.sources.end')}
        </p>
      </Section>
      <Disclaimer text={t('settings.disclaimer')} />
    </div>
  );
}
