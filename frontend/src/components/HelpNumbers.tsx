import helplines from '../../../backend/course/helplines.json';
import { course } from '../store';
import { SourceIds } from './Facts';

interface Line {
  number: string;
  facts: string[];
}

interface Country {
  code: string;
  name: string;
  emergency: Line;
  crisis: (Line & { name: string; sms: string | null }) | null;
  zones: string[];
}

const COUNTRIES = helplines.countries as Country[];

/** The course's country (as set), else the one whose time zone the course uses. */
function countryOfCourse(): Country | null {
  const current = course.value as (typeof course.value & { country?: string | null }) | null;
  if (!current) return null;
  return (
    COUNTRIES.find((c) => c.code === current.country) ?? COUNTRIES.find((c) => c.zones.includes(current.timezone)) ?? null
  );
}

const tel = (number: string) => `tel:${number.replace(/[^\d+]/g, '')}`;

/**
 * Emergency number and crisis line for the patient's country (backend/course/helplines.json, bundled, so
 * it works offline). `crisis` puts the crisis line first.
 */
export function HelpNumbers({ crisis = false }: { crisis?: boolean }) {
  const country = countryOfCourse();
  if (!country) {
    return (
      <p>
        Call your local emergency number (for example 112 in the EU, 911 in the US and Canada, 999 in the UK).
        <SourceIds facts={['HELP-1']} />
      </p>
    );
  }
  const emergency = (
    <a class={crisis ? 'button' : 'button button-primary'} href={tel(country.emergency.number)} key="emergency">
      Emergency: call {country.emergency.number}
    </a>
  );
  const line = country.crisis && (
    <a class={crisis ? 'button button-primary' : 'button'} href={tel(country.crisis.number)} key="crisis">
      {country.crisis.name}: {country.crisis.number}
    </a>
  );
  const text = country.crisis?.sms && (
    <a class="button" href={`sms:${country.crisis.sms.replace(/[^\d+]/g, '')}`} key="sms">
      Text {country.crisis.sms}
    </a>
  );
  return (
    <div class="help-numbers">
      <p class="button-row">
        {crisis ? [line, text, emergency] : [emergency, line, text]}
        <SourceIds facts={['HELP-1']} />
      </p>
      <p class="muted">Numbers for {country.name}.</p>
    </div>
  );
}
