import { t } from '../i18n';
import { detectTimeZone } from '../lib/dates';
import { callButtons, countryForZone } from '../lib/help';
import type { TriageCall } from '../lib/triage';

/** The emergency number first, then the crisis line (as on the patient's "Get help"). */
const CALLS: TriageCall[] = [
  { call: 'emergency', note: null },
  { call: 'crisis', note: null },
];

/**
 * "Get help" for the caregiver: when to call the emergency number (RED-13) or a crisis line (RED-1,
 * HELP-1), when the patient should call their prescriber (RED-1, RED-13), and the numbers of the
 * phone's country (its time zone: the caregiver is not told the patient's country), from the same
 * help data as the patient's screen, offline too.
 */
export function CaregiverHelp() {
  const country = countryForZone(detectTimeZone());
  const buttons = callButtons(CALLS, country, { clinicPhone: null, under18: null });
  return (
    <section class="card card-alert" id="get-help" aria-labelledby="get-help-heading" tabIndex={-1}>
      <h2 id="get-help-heading">{t('caregiver.help.heading')}</h2>
      <p>{t('caregiver.help.emergency')}</p>
      <p>{t('caregiver.help.crisis')}</p>
      <p class="lede">{country ? t('caregiver.help.country', { country: country.name }) : t('caregiver.help.no_country')}</p>
      <div class="emergency-calls">
        {buttons.map((button) => (
          <a
            key={`${button.kind}:${button.href}`}
            class={button.kind === 'emergency' ? 'button button-danger call' : 'button button-secondary call'}
            href={button.href}
            data-kind={button.kind}
            {...(button.kind === 'directory' ? { target: '_blank', rel: 'noopener noreferrer' } : {})}
          >
            {button.label}
            {button.note && <span class="call-note">{button.note}</span>}
          </a>
        ))}
      </div>
      <p>{t('caregiver.help.prescriber')}</p>
      <p class="muted">{t('caregiver.help.sources', { ids: 'RED-1, RED-13, HELP-1' })}</p>
    </section>
  );
}
