import { useState } from 'preact/hooks';
import { api } from '../api';
import { focusSoon, messageFor } from '../lib/errors';
import { language, t } from '../i18n';
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
// Their names and status in Spanish and German: the server's translations of the same files.
type Translated = { title?: string; version?: string; status?: { text: string } };
const TRANSLATED = import.meta.glob<Translated>('../../../backend/locales/*/rulesets/*.json', { eager: true, import: 'default' });
const RULE_SETS = Object.keys(TITLES).map((path) => ({
  id: path.replace(/^.*\/|\.json$/g, ''),
  title: TITLES[path],
  programme: PROGRAMMES[path],
  version: VERSIONS[path],
  status: STATUSES[path],
}));

/** A rule set's title, version and status text in the current language (English where not translated). */
function localRuleSet(ruleSet: (typeof RULE_SETS)[number]) {
  const path = `../../../backend/locales/${language.value}/rulesets/${ruleSet.id}.json`;
  const own = TRANSLATED[path] ?? {};
  const status = ruleSet.status && { ...ruleSet.status, text: own.status?.text ?? ruleSet.status.text };
  return { ...ruleSet, title: own.title ?? ruleSet.title, version: own.version ?? ruleSet.version, status };
}

/** The country of the help numbers (HELP-1) and, where a programme has several, its rule set (PREG-4). */
export function ProgrammeSettings({ current }: { current: Course }) {
  const [country, setCountry] = useState(current.country ?? '');
  const [ruleSet, setRuleSet] = useState(current.rule_set ?? current.programme);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const choices = RULE_SETS.filter((r) => r.programme === current.programme).map(localRuleSet);

  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    try {
      const patch: Partial<Course> = { country: country || null };
      if (choices.length > 1) patch.rule_set = ruleSet;
      await setCourse(await api.updateCourse(current.id, patch));
      await Promise.all([refreshToday(), refreshTimeline()]).catch(() => undefined);
      setError(null);
      announce(t('settings.saved'));
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
        label={t('settings.programme.country')}
        hint={
          <>
            {t('settings.programme.country.hint')}
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
            legend={t('settings.programme.rules')}
            hint={
              <>
                {t('settings.programme.rules.hint')}
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
                {r.status!.verify && <span class="badge badge-verify">{t('settings.programme.verify')}</span>} {r.title}: {r.status!.text}
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
        {busy ? t('settings.saving') : t('settings.save')}
      </button>
    </form>
  );
}
