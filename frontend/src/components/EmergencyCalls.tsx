import { t } from '../i18n';
import { callButtons, noLineText, under18, type CallButton, type HelpCountry } from '../lib/help';
import type { TriageCall } from '../lib/triage';
import { course } from '../store';
import { SourceIds } from './Facts';
import { Link } from './Link';

const CLASS: Record<CallButton['kind'], string> = {
  emergency: 'button button-danger call',
  crisis: 'button button-secondary call',
  crisis_text: 'button button-secondary call',
  youth: 'button button-secondary call',
  youth_text: 'button button-secondary call',
  clinic: 'button button-primary call',
  save_clinic: 'button button-secondary call',
  directory: 'button button-secondary call',
};

function Button({ button }: { button: CallButton }) {
  const content = (
    <>
      {button.label}
      {button.note && <span class="call-note">{button.note}</span>}
    </>
  );
  if (button.kind === 'save_clinic') {
    return (
      <Link href={button.href} class={CLASS[button.kind]}>
        {content}
      </Link>
    );
  }
  if (button.kind === 'directory') {
    return (
      <a class={CLASS[button.kind]} href={button.href} target="_blank" rel="noopener noreferrer">
        {content}
        <span class="visually-hidden">{t('help.calls.new_tab')}</span>
      </a>
    );
  }
  return (
    <a class={CLASS[button.kind]} href={button.href} data-kind={button.kind}>
      {content}
    </a>
  );
}

/**
 * The call buttons of a result, in the one order every panel uses (`callButtons`, from the `calls` the
 * shared rules give): the emergency number, the crisis line (and text lines; youth lines for a patient
 * who said they are under 18, HELP-5), the clinic's saved number or a link to save it (HELP-2). Where the
 * country has no crisis line we can name it says so, with the emergency number and a directory (HELP-6).
 */
export function EmergencyCalls({ calls, country }: { calls: TriageCall[]; country: HelpCountry | null }) {
  const buttons = callButtons(calls, country, { clinicPhone: course.value?.clinic_phone ?? null, under18: under18.value });
  if (!buttons.length) return null;
  const noLine = country !== null && country.crisis.length === 0 && calls.some((c) => c.call === 'crisis');
  const facts = new Set(['HELP-1']);
  for (const b of buttons) if ('facts' in b) for (const f of b.facts) facts.add(f);
  if (buttons.some((b) => b.kind === 'clinic' || b.kind === 'save_clinic')) facts.add('HELP-2');
  return (
    <div class="emergency-calls">
      {noLine && country && (
        <p class="no-line">
          {noLineText(country)}
          <SourceIds facts={['HELP-6']} />
        </p>
      )}
      {buttons.map((button) => (
        <Button key={`${button.kind}:${button.href}`} button={button} />
      ))}
      {!country && <p class="muted">{t('help.calls.choose_country')}</p>}
      <SourceIds facts={[...facts].sort()} />
    </div>
  );
}
