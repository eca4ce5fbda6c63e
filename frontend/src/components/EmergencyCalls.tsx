import { dialable, HELP_COUNTRIES, type HelpCountry } from '../lib/help';
import { SourceIds } from './Facts';

/** Numbers shared by several countries, listed once: "112" → "Austria, Belgium, …". */
function grouped(pick: (c: HelpCountry) => string | null): Array<[string, string[]]> {
  const by = new Map<string, string[]>();
  for (const c of HELP_COUNTRIES) {
    const number = pick(c);
    if (number) by.set(number, [...(by.get(number) ?? []), c.name]);
  }
  return [...by.entries()];
}

function regions(names: string[]): string {
  return names.length > 4 ? 'the EU' : names.join(', ');
}

/** Without a chosen country: every listed emergency number (and crisis line) with where it works. */
function AllNumbers({ crisis }: { crisis: boolean }) {
  return (
    <div class="emergency-calls">
      <p>Call your local emergency number now. Listed numbers:</p>
      {grouped((c) => c.emergency.number).map(([number, names]) => (
        <a key={number} class="button button-danger call" href={`tel:${dialable(number)}`}>
          Call {number}
          <span class="call-note">Emergency, {regions(names)}</span>
        </a>
      ))}
      {crisis &&
        grouped((c) => c.crisis?.number ?? null).map(([number, names]) => (
          <a key={number} class="button button-secondary call" href={`tel:${dialable(number)}`}>
            Call {number}
            <span class="call-note">Crisis line, {regions(names)}</span>
          </a>
        ))}
      <p class="muted">Choose your country in Settings to see only its numbers.</p>
      <SourceIds facts={['HELP-1']} />
    </div>
  );
}

/**
 * One-tap calls for an emergency (RED-7) and, for thoughts of self-harm, the crisis line (RED-1, HELP-1),
 * for the patient's country. Without a listed country it lists every number with where it works.
 */
export function EmergencyCalls({
  country,
  crisis = true,
  crisisFirst = false,
}: {
  country: HelpCountry | null;
  crisis?: boolean;
  /** Thoughts of self-harm: the crisis line comes first. */
  crisisFirst?: boolean;
}) {
  if (!country) return <AllNumbers crisis={crisis} />;
  const line = crisis ? country.crisis : null;
  const emergency = (
    <a key="emergency" class="button button-danger call" href={`tel:${dialable(country.emergency.number)}`}>
      Call {country.emergency.number}
      <span class="call-note">Emergency, {country.name}</span>
    </a>
  );
  const lines = line
    ? [
        <a key="crisis" class="button button-secondary call" href={`tel:${dialable(line.number)}`}>
          Call {line.number}
          <span class="call-note">{line.name}, free, any time</span>
        </a>,
        line.sms ? (
          <a key="sms" class="button button-secondary call" href={`sms:${dialable(line.sms)}`}>
            Text {line.sms}
            <span class="call-note">{line.name}</span>
          </a>
        ) : null,
      ]
    : [];
  return (
    <div class="emergency-calls">
      {crisisFirst ? [...lines, emergency] : [emergency, ...lines]}
      <SourceIds facts={['HELP-1']} />
    </div>
  );
}
