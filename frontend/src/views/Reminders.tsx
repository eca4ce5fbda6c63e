import { useState } from 'preact/hooks';
import { Link } from '../components/Link';
import { LockScreenChoice } from '../components/LockScreenChoice';
import { PlanNav } from '../components/PlanNav';
import { PushDevices } from '../components/PushDevices';
import { PushSetup } from '../components/PushSetup';
import { QuietHours } from '../components/QuietHours';
import { ReminderAgenda } from '../components/ReminderAgenda';
import { ReminderRules } from '../components/ReminderRules';
import { Section } from '../components/Section';

export function Reminders() {
  const [devicesVersion, setDevicesVersion] = useState(0);
  return (
    <div class="view">
      <PlanNav />
      <header class="view-header">
        <h1 tabIndex={-1}>Reminders</h1>
        <p class="lede">Capsules, visits and tests, at your local time.</p>
      </header>
      <Section id="push-heading" title="On this device">
        <PushSetup onChange={() => setDevicesVersion((v) => v + 1)} />
      </Section>
      <Section id="push-devices-heading" title="Devices that get reminders">
        <PushDevices refreshKey={devicesVersion} />
      </Section>
      <Section id="rules-heading" title="What to remind you of">
        <ReminderRules />
        <LockScreenChoice />
        <p class="link-line">
          <Link href="/appointments">Add or change appointments</Link>
        </p>
      </Section>
      <Section id="quiet-heading" title="Quiet hours">
        <QuietHours />
      </Section>
      <Section id="agenda-heading" title="Coming up">
        <ReminderAgenda />
      </Section>
    </div>
  );
}
