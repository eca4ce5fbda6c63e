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
import { language, t } from '../i18n';

export function Reminders() {
  const [devicesVersion, setDevicesVersion] = useState(0);
  return (
    <div class="view" lang={language.value}>
      <PlanNav />
      <header class="view-header">
        <h1 tabIndex={-1}>{t('reminders.title')}</h1>
        <p class="lede">{t('reminders.lede')}</p>
      </header>
      <Section id="push-heading" title={t('reminders.here.heading')}>
        <PushSetup onChange={() => setDevicesVersion((v) => v + 1)} />
      </Section>
      <Section id="push-devices-heading" title={t('reminders.devices.heading')}>
        <PushDevices refreshKey={devicesVersion} />
      </Section>
      <Section id="rules-heading" title={t('reminders.rules.heading')}>
        <ReminderRules />
        <LockScreenChoice />
        <p class="link-line">
          <Link href="/appointments">{t('reminders.appointments_link')}</Link>
        </p>
      </Section>
      <Section id="quiet-heading" title={t('reminders.quiet.heading')}>
        <QuietHours />
      </Section>
      <Section id="agenda-heading" title={t('reminders.agenda.heading')}>
        <ReminderAgenda />
      </Section>
    </div>
  );
}
