import { t } from '../i18n';
import { actionText, helpCountry } from '../lib/help';
import { SourceIds } from './Facts';
import { course } from '../store';
import { EmergencyCalls } from './EmergencyCalls';
import { Link } from './Link';
import { PauseOffer } from './PauseOffer';
import { saysStop, WHO_SEES, type Triage, type TriageAction } from '../lib/triage';

/** The panel's heading: what to do first, in the result's own level (RED-13). */
export function triageHeading(result: Pick<Triage, 'level' | 'case' | 'actions'>): string {
  if (result.case === 'emergency') return t('checkin.result.emergency');
  if (result.case === 'self_harm') return t('checkin.result.self_harm');
  if (result.level === 'urgent') {
    return t(saysStop(result) ? 'checkin.result.stop' : 'checkin.result.today');
  }
  if (result.level === 'routine') return t('checkin.result.routine');
  return t('checkin.result.none');
}

/** What a pause records as its reason: the first reason that says to stop (the gravest come first). */
export function stopReason(result: Pick<Triage, 'reasons'>): string {
  return result.reasons.find((r) => r.kind === 'red_flag' || r.kind === 'effect')?.key ?? 'prescriber';
}

/** "Nobody watches these answers as you give them…" (MOOD-2): beside every check-in and every result. */
export function WhoSees() {
  return (
    <p class="who-sees">
      {WHO_SEES.text}
      <SourceIds facts={WHO_SEES.facts} />
    </p>
  );
}

/** The result's advice and its call buttons, in the shared order; used by the check-in and the mood check. */
export function ResultAdvice({ actions, calls }: Pick<Triage, 'calls'> & { actions: Pick<TriageAction, 'key' | 'text' | 'text_without_line' | 'facts'>[] }) {
  const country = helpCountry(course.value);
  return (
    <>
      {actions.length > 0 && (
        <ul class="fact-list">
          {actions.map((action) => (
            <li key={action.key}>
              {actionText(action, country)}
              <SourceIds facts={action.facts} />
            </li>
          ))}
        </ul>
      )}
      {calls.length > 0 && <EmergencyCalls calls={calls} country={country} />}
    </>
  );
}

/**
 * What to do after a check-in, shown at once from the shared rules (offline too). Emergency and urgent
 * results are an alert that takes focus, so the patient hears them before anything else.
 */
export function TriagePanel({ result, pending }: { result: Triage; pending: boolean }) {
  const serious = result.level === 'emergency' || result.level === 'urgent';
  return (
    <section
      id="triage"
      class={serious ? 'card card-alert triage' : result.level === 'routine' ? 'card card-attention triage' : 'card triage'}
      aria-labelledby="triage-heading"
      role={serious ? 'alert' : undefined}
      tabIndex={-1}
      data-level={result.level}
      data-case={result.case}
    >
      <h2 id="triage-heading">{triageHeading(result)}</h2>
      <ResultAdvice actions={result.actions} calls={result.calls} />
      {serious && (
        <p>
          <Link href="/help">{t('checkin.result.help_link')}</Link>
        </p>
      )}
      {saysStop(result) && <PauseOffer reason={stopReason(result)} />}
      {result.level === 'none' && <p>{t('checkin.result.nothing')}</p>}
      <WhoSees />
      <p class="muted triage-status">{t(pending ? 'checkin.result.pending' : 'checkin.result.saved')}</p>
    </section>
  );
}
