import { helpCountry } from '../lib/help';
import { SourceIds } from './Facts';
import { course } from '../store';
import { EmergencyCalls } from './EmergencyCalls';
import { Link } from './Link';
import { PauseOffer } from './PauseOffer';
import { saysStop, type Triage } from '../lib/triage';

const HEADINGS: Record<Triage['level'], string> = {
  emergency: 'Get help now',
  urgent: 'Stop your capsules and call your prescriber now',
  routine: 'Mention this to your prescriber soon',
  none: 'Saved',
};

/** The red flag a pause records as its reason: the first one reported (the rules list the gravest first). */
function stopReason(result: Triage): string {
  return result.reasons.find((r) => r.kind === 'red_flag')?.key ?? 'prescriber';
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
    >
      <h2 id="triage-heading">{HEADINGS[result.level]}</h2>
      {result.actions.length > 0 && (
        <ul class="fact-list">
          {result.actions.map((action) => (
            <li key={action.key}>
              {action.text}
              <SourceIds facts={action.facts} />
            </li>
          ))}
        </ul>
      )}
      {serious && (
        <>
          <EmergencyCalls
            country={helpCountry(course.value)}
            crisis={result.level === 'emergency'}
            crisisFirst={result.actions.some((a) => a.key === 'crisis_line')}
          />
          <p>
            <Link href="/help">Get help: your clinic and every sign to act on</Link>
          </p>
        </>
      )}
      {saysStop(result) && <PauseOffer reason={stopReason(result)} />}
      {result.level === 'none' && <p>Nothing in today's answers needs action. Thank you for checking in.</p>}
      <p class="muted">{pending ? 'Checked on this phone; it will be confirmed when it reaches the server.' : 'Confirmed by the server.'}</p>
    </section>
  );
}
