import { CourseDetailsForm, DoseChangeForm } from '../components/CourseEditor';
import { FinishCourse } from '../components/CourseEnd';
import { PauseSettings } from '../components/PauseCard';
import { ProgrammeSettings } from '../components/ProgrammeSettings';
import { DeleteCourse, DeleteEverything, ExportData } from '../components/DataPanel';
import { DevicesList, LinkCodeCreator } from '../components/DevicesPanel';
import { Disclaimer } from '../components/Disclaimer';
import { lazyPanel } from '../components/LazyView';
import { Link } from '../components/Link';
import { Section } from '../components/Section';
import type { ComponentType } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { course } from '../store';
import type { Course } from '../types';

type Panel = ComponentType<{ current: Course }>;

/** The caregivers panel loads on first use (kept out of the first-load budget). */
function Caregivers({ current }: { current: Course }) {
  const [Loaded, setLoaded] = useState<Panel | null>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    import('../components/CaregiversPanel').then(
      (m) => setLoaded(() => m.CaregiversPanel),
      () => setFailed(true),
    );
  }, []);
  if (failed) return <p class="error">This part could not load. Check your connection and open Settings again.</p>;
  return Loaded ? <Loaded current={current} /> : <p class="muted">Loading…</p>;
}

// Only this panel of Settings talks to the record API: its code loads when Settings opens.
const CalendarFeed = lazyPanel(() => import('../components/CalendarFeed').then((m) => m.CalendarFeed));
// The language picker too: it stays out of the first load.
const LanguagePicker = lazyPanel(() => import('../components/LanguagePicker').then((m) => m.LanguagePicker));

export function Settings() {
  const current = course.value;
  return (
    <div class="view">
      <header class="view-header">
        <h1 tabIndex={-1}>Settings</h1>
      </header>
      {current && (
        <>
          <Section id="course-heading" title="Your course">
            <CourseDetailsForm key={current.updated_at} current={current} />
          </Section>
          <Section id="dose-heading" title="Change your dose">
            <DoseChangeForm key={current.updated_at} current={current} />
          </Section>
          <Section id="help-settings-heading" title="Help numbers and programme rules">
            <ProgrammeSettings key={current.updated_at} current={current} />
          </Section>
          <Section id="pause-settings-heading" title="Pause your capsules">
            <PauseSettings current={current} />
          </Section>
          <Section id="caregivers-heading" title="Caregivers">
            <Caregivers current={current} />
          </Section>
          <Section id="end-heading" title="Has your prescriber stopped your capsules?">
            <FinishCourse current={current} />
          </Section>
          <Section id="delete-course-heading" title="Delete this course">
            <p>For a course set up by mistake, or one you no longer want kept. Everything else stays.</p>
            <DeleteCourse key={current.id} current={current} />
          </Section>
        </>
      )}
      <Section id="reminders-heading" title="Reminders and appointments">
        <p>
          <Link href="/reminders">Reminders on this device</Link>: capsules, visits, blood tests and quiet hours.
        </p>
        <p>
          <Link href="/appointments">Your appointments</Link>: add visits and tests, or accept the suggested rhythm.
        </p>
      </Section>
      {current && (
        <Section id="calendar-heading" title="Calendar">
          <CalendarFeed courseId={current.id} />
        </Section>
      )}
      <Section id="language-heading" title="Language · Idioma · Sprache">
        <LanguagePicker labelledBy="language-heading" />
      </Section>
      <Section id="link-heading" title="Link another device">
        <LinkCodeCreator />
      </Section>
      <Section id="devices-heading" title="Your devices">
        <DevicesList />
      </Section>
      <Section id="data-heading" title="Your data">
        <p>Download everything stored about your course, or delete it all from the server and this device.</p>
        <ExportData />
        <DeleteEverything />
      </Section>
      <Section id="sources-heading" title="Sources">
        <p>
          Every medical statement in ClearCourse carries a fact id. <Link href="/sources">See the fact ids used on your screens</Link>.
        </p>
      </Section>
      <Disclaimer />
    </div>
  );
}
