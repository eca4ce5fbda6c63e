import { useState } from 'preact/hooks';
import { api } from '../api';
import { focusSoon, messageFor } from '../lib/errors';
import { announce, refreshTimeline, refreshToday, setCourse } from '../store';
import type { Course } from '../types';
import { CountryField } from './CountryField';
import { SourceIds } from './Facts';
import { Choices } from './Form';

// The programme rule sets are data files of the server (PRODUCT-2); only their names are bundled.
const TITLES = import.meta.glob<string>('../../../backend/course/rulesets/*.json', { eager: true, import: 'title' });
const PROGRAMMES = import.meta.glob<string>('../../../backend/course/rulesets/*.json', { eager: true, import: 'programme' });
const VERSIONS = import.meta.glob<string>('../../../backend/course/rulesets/*.json', { eager: true, import: 'version' });
type Status = { text: string; facts: string[]; verify: boolean } | null;
const STATUSES = import.meta.glob<Status>('../../../backend/course/rulesets/*.json', { eager: true, import: 'status' });
const RULE_SETS = Object.keys(TITLES).map((path) => ({
  id: path.replace(/^.*\/|\.json$/g, ''),
  title: TITLES[path],
  programme: PROGRAMMES[path],
  version: VERSIONS[path],
  status: STATUSES[path],
}));

/** The country of the help numbers (HELP-1) and, where a programme has several, its rule set (PREG-4). */
export function ProgrammeSettings({ current }: { current: Course }) {
  const [country, setCountry] = useState(current.country ?? '');
  const [ruleSet, setRuleSet] = useState(current.rule_set ?? current.programme);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const choices = RULE_SETS.filter((r) => r.programme === current.programme);

  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    try {
      const patch: Partial<Course> = { country: country || null };
      if (choices.length > 1) patch.rule_set = ruleSet;
      await setCourse(await api.updateCourse(current.id, patch));
      await Promise.all([refreshToday(), refreshTimeline()]).catch(() => undefined);
      setError(null);
      announce('Saved.');
    } catch (e) {
      setError(messageFor(e));
      focusSoon('programme-error');
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="form" onSubmit={submit} noValidate>
      <CountryField
        label="Country for help numbers"
        hint={
          <>
            The “Get help” screen shows this country’s emergency number and crisis line.
            <SourceIds facts={['HELP-1']} />
          </>
        }
        value={country}
        onChange={setCountry}
      />
      {choices.length > 1 && (
        <>
          <Choices
            name="rule-set"
            legend="Programme rules"
            hint={
              <>
                Switch when your clinic tells you it follows the newer rules.
                <SourceIds facts={['PREG-4']} />
              </>
            }
            choices={choices.map((r) => ({ value: r.id, label: r.title, hint: r.version }))}
            value={ruleSet}
            onChange={setRuleSet}
          />
          {choices
            .filter((r) => r.status)
            .map((r) => (
              <p key={r.id} class="hint rule-status">
                {r.status!.verify && <span class="badge badge-verify">Verify</span>} {r.title}: {r.status!.text}
                <SourceIds facts={r.status!.facts} />
              </p>
            ))}
        </>
      )}
      {error && (
        <p class="error" id="programme-error" role="alert" tabIndex={-1}>
          {error}
        </p>
      )}
      <button type="submit" class="button button-secondary" disabled={busy}>
        {busy ? 'Saving…' : 'Save'}
      </button>
    </form>
  );
}
