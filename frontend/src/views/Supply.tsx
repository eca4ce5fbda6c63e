import { useEffect, useState } from 'preact/hooks';
import { Field } from '../components/Form';
import { SourceIds } from '../components/Facts';
import { ApiError } from '../lib/http';
import { formatDay, formatNumber, language, t } from '../i18n';
import { recordApi, type Supply as SupplyData } from '../lib/record';
import { announce, course, courseToday } from '../store';

/** Capsule pick-ups, what is left and the day it runs out at the current plan (an estimate). */
export function Supply() {
  const current = course.value;
  const [data, setData] = useState<SupplyData | null>(null);
  const [failed, setFailed] = useState(false);
  const [date, setDate] = useState(courseToday());
  const [capsules, setCapsules] = useState('30');
  const [strength, setStrength] = useState('20');
  const [error, setError] = useState<string | null>(null);

  const load = async () => {
    if (!current) return;
    try {
      setData(await recordApi.supply(current.id));
      setFailed(false);
    } catch {
      setFailed(true);
    }
  };
  useEffect(() => void load(), [current?.id]);
  if (!current) return null;

  const submit = async (event: Event) => {
    event.preventDefault();
    setError(null);
    try {
      await recordApi.addPickup(current.id, { picked_up_on: date, capsules: Number(capsules), strength_mg: Number(strength) });
      announce(t('supply.form.saved'));
      await load();
    } catch (e) {
      setError(e instanceof ApiError ? e.message : t('supply.form.offline'));
    }
  };

  return (
    <div class="view supply" lang={language.value}>
      <h1 tabIndex={-1}>{t('supply.title')}</h1>
      {failed && <p class="muted">{t('supply.offline')}</p>}
      {data && data.capsules_left !== null && (
        <section class="card" aria-labelledby="supply-heading">
          <h2 id="supply-heading">{t('supply.have.heading')}</h2>
          <dl class="stats">
            <div>
              <dt>{t('supply.have.left')}</dt>
              <dd>
                {t('supply.have.left.value', { count: data.capsules_left, mg: data.strength_mg === null ? '—' : formatNumber(data.strength_mg) })}
                {data.mixed_strengths && t('supply.have.mixed')}
              </dd>
            </div>
            <div>
              <dt>{t('supply.have.runs_out')}</dt>
              <dd>{data.covers_to_last_capsule ? t('supply.have.lasts') : formatDay(data.runs_out_on)}</dd>
            </div>
            {data.next_supply_needed_on && (
              <div>
                <dt>{t('supply.have.next')}</dt>
                <dd>
                  {formatDay(data.next_supply_needed_on)}
                  <SourceIds facts={['DOSE-10']} />
                </dd>
              </div>
            )}
          </dl>
          {data.may_be_last_supply && (
            <p class="notice">
              {t('supply.have.may_be_last')}
              <SourceIds facts={['DOSE-13']} />
            </p>
          )}
          <p class="muted">
            {t('supply.have.note')}
            <SourceIds facts={['DOSE-10', 'PRODUCT-1']} />
          </p>
        </section>
      )}
      <form class="card" onSubmit={submit} aria-labelledby="pickup-heading">
        <h2 id="pickup-heading">{t('supply.form.heading')}</h2>
        {error && (
          <p class="error" role="alert">
            {error}
          </p>
        )}
        <Field id="pickup-date" type="date" label={t('supply.form.date')} value={date} max={courseToday()} onInput={(e) => setDate(e.currentTarget.value)} />
        <Field id="pickup-capsules" type="number" inputMode="numeric" min={1} max={1000} label={t('supply.form.capsules')} value={capsules} onInput={(e) => setCapsules(e.currentTarget.value)} />
        <Field id="pickup-strength" type="number" inputMode="decimal" min={1} max={80} step="any" label={t('supply.form.strength')} suffix="mg" value={strength} onInput={(e) => setStrength(e.currentTarget.value)} />
        <button type="submit" class="button button-primary">
          {t('supply.form.save')}
        </button>
      </form>
      {data && data.pickups.length > 0 && (
        <section class="card" aria-labelledby="pickups-heading">
          <h2 id="pickups-heading">{t('supply.list.heading')}</h2>
          <ul class="plain-list">
            {[...data.pickups].reverse().map((p) => (
              <li key={p.id}>
                {t('supply.list.item', { day: formatDay(p.picked_up_on), count: p.capsules, mg: p.strength_mg })}{' '}
                <button
                  type="button"
                  class="button button-quiet button-small"
                  onClick={async () => {
                    await recordApi.deletePickup(current.id, p.id).catch(() => undefined);
                    await load();
                  }}
                >
                  {t('supply.list.delete')}
                  <span class="visually-hidden">{t('supply.list.delete.which', { day: formatDay(p.picked_up_on) })}</span>
                </button>
              </li>
            ))}
          </ul>
        </section>
      )}
    </div>
  );
}
