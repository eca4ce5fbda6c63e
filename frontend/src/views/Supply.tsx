import { useEffect, useState } from 'preact/hooks';
import { Field } from '../components/Form';
import { SourceIds } from '../components/Facts';
import { formatDate } from '../lib/dates';
import { ApiError } from '../lib/http';
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
      announce('Pick-up saved.');
      await load();
    } catch (e) {
      setError(e instanceof ApiError ? e.message : 'You seem to be offline: pick-ups need a connection.');
    }
  };

  return (
    <div class="view supply">
      <h1 tabIndex={-1}>Capsule supply</h1>
      {failed && <p class="muted">Supply needs a connection; try again when you are online.</p>}
      {data && data.capsules_left !== null && (
        <section class="card" aria-labelledby="supply-heading">
          <h2 id="supply-heading">What you have</h2>
          <dl class="stats">
            <div>
              <dt>Capsules left</dt>
              <dd>
                {data.capsules_left} × {data.strength_mg} mg{data.mixed_strengths && ' (about: you have several strengths)'}
              </dd>
            </div>
            <div>
              <dt>Runs out (estimate)</dt>
              <dd>{data.covers_to_last_capsule ? 'Lasts to your last capsule' : formatDate(data.runs_out_on)}</dd>
            </div>
            {data.next_supply_needed_on && (
              <div>
                <dt>Next supply needed by</dt>
                <dd>
                  {formatDate(data.next_supply_needed_on)}
                  <SourceIds facts={['DOSE-10']} />
                </dd>
              </div>
            )}
          </dl>
          {data.may_be_last_supply && (
            <p class="notice">
              This may be your last supply: your estimated last capsule comes first. Ask your prescriber whether your course goes on.
              <SourceIds facts={['DOSE-13']} />
            </p>
          )}
          <p class="muted">
            Counted from your pick-ups and the doses you logged, at your current plan. The refill reminder uses this day.
            <SourceIds facts={['DOSE-10', 'PRODUCT-1']} />
          </p>
        </section>
      )}
      <form class="card" onSubmit={submit} aria-labelledby="pickup-heading">
        <h2 id="pickup-heading">Record a pick-up</h2>
        {error && (
          <p class="error" role="alert">
            {error}
          </p>
        )}
        <Field id="pickup-date" type="date" label="Picked up on" value={date} max={courseToday()} onInput={(e) => setDate(e.currentTarget.value)} />
        <Field id="pickup-capsules" type="number" inputMode="numeric" min={1} max={1000} label="Number of capsules" value={capsules} onInput={(e) => setCapsules(e.currentTarget.value)} />
        <Field id="pickup-strength" type="number" inputMode="decimal" min={1} max={80} step="any" label="Strength of each capsule" suffix="mg" value={strength} onInput={(e) => setStrength(e.currentTarget.value)} />
        <button type="submit" class="button button-primary">
          Save pick-up
        </button>
      </form>
      {data && data.pickups.length > 0 && (
        <section class="card" aria-labelledby="pickups-heading">
          <h2 id="pickups-heading">Pick-ups</h2>
          <ul class="plain-list">
            {[...data.pickups].reverse().map((p) => (
              <li key={p.id}>
                {formatDate(p.picked_up_on)}: {p.capsules} × {p.strength_mg} mg{' '}
                <button
                  type="button"
                  class="button button-quiet button-small"
                  onClick={async () => {
                    await recordApi.deletePickup(current.id, p.id).catch(() => undefined);
                    await load();
                  }}
                >
                  Delete<span class="visually-hidden"> the pick-up of {formatDate(p.picked_up_on)}</span>
                </button>
              </li>
            ))}
          </ul>
        </section>
      )}
    </div>
  );
}
