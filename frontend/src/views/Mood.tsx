import { useEffect, useState } from 'preact/hooks';
import { SourceIds } from '../components/Facts';
import { Choices } from '../components/Form';
import { PauseOffer } from '../components/PauseOffer';
import { ResultAdvice, WhoSees } from '../components/TriagePanel';
import { language, t } from '../i18n';
import { MOOD, moodFollowUp } from '../lib/mood';
import { isoWeek, refreshMood, saveMood, savedMood, type MoodAnswer, type MoodCheck } from '../lib/record';
import { announce, course, courseToday, sync } from '../store';

type Question = (typeof MOOD.questions)[number];

/**
 * The weekly mood check (MOOD-1, MOOD-2): answers in words, never a score. As the patient answers, the
 * advice follows at once: frequent low mood or loss of interest → the leaflet's "stop and phone your
 * prescriber today" with the clinic and crisis buttons; a yes to self-harm → the crisis line first.
 */
export function Mood() {
  const current = course.value;
  const week = isoWeek(courseToday());
  const [interest, setInterest] = useState<MoodAnswer | null>(null);
  const [low, setLow] = useState<MoodAnswer | null>(null);
  const [selfHarm, setSelfHarm] = useState<'yes' | 'no' | null>(null);
  const [sexual, setSexual] = useState<string | null>(null);
  const [history, setHistory] = useState<Record<string, MoodCheck>>({});
  const [saved, setSaved] = useState(false);
  const [missing, setMissing] = useState(false);

  useEffect(() => {
    if (!current) return;
    void savedMood(current.id).then(setHistory);
    void refreshMood(current.id).then(setHistory, () => undefined);
  }, [current?.id]);

  if (!current) return null;
  const content = MOOD; // in the app's language once its texts have loaded
  const QUESTION = Object.fromEntries(content.questions.map((q) => [q.key, q])) as Record<string, Question>;
  const LABEL: Record<string, string> = Object.fromEntries(
    Object.values(content.answers).flatMap((answers) => answers.map((a) => [a.value, a.label])),
  );
  const crisis = selfHarm === 'yes';

  const submit = async (event: Event) => {
    event.preventDefault();
    if (!interest || !low || !selfHarm) {
      setMissing(true);
      return;
    }
    setMissing(false);
    await saveMood(current.id, week, { interest, low_mood: low, self_harm_thoughts: crisis, sexual_function: sexual });
    setSaved(true);
    announce(t('mood.saved'));
    await sync().catch(() => undefined);
    setHistory(await refreshMood(current.id).catch(() => savedMood(current.id)));
  };

  const answers = (key: 'interest' | 'low_mood' | 'sexual_function') =>
    content.answers[key].map((a) => ({ value: a.value as MoodAnswer, label: a.label }));
  const follow = moodFollowUp(interest, low, crisis);
  const advice = follow.actions.filter((a) => a.key !== 'raise_at_visit');
  const alert = follow.crisis || follow.stop;

  return (
    <div class="view mood" lang={language.value}>
      <h1 tabIndex={-1}>{t('mood.title')}</h1>
      <p class="lede">
        {content.intro.text}
        <SourceIds facts={content.intro.facts} />
      </p>
      {alert && (
        <section class="card card-alert" role="alert" aria-labelledby="crisis-heading" id="crisis" data-stop={follow.stop ? 'yes' : 'no'}>
          <h2 id="crisis-heading">{follow.crisis ? t('mood.talk_now') : t('mood.stop_and_phone')}</h2>
          <ResultAdvice actions={advice} calls={follow.calls} />
          {follow.stop && <PauseOffer reason="mood_check" />}
          <WhoSees />
        </section>
      )}
      <form class="card" onSubmit={submit} aria-labelledby="mood-form-heading">
        <h2 id="mood-form-heading">{t('mood.this_week', { week })}</h2>
        {missing && (
          <p class="error" role="alert">
            {t('mood.answer_three')}
          </p>
        )}
        <WhoSees />
        <Choices name="mood-interest" legend={QUESTION.interest.text} choices={answers('interest')} value={interest} onChange={setInterest} />
        <Choices name="mood-low" legend={QUESTION.low_mood.text} choices={answers('low_mood')} value={low} onChange={setLow} />
        <Choices
          name="mood-self-harm"
          legend={QUESTION.self_harm_thoughts.text}
          choices={[
            { value: 'no', label: t('mood.no') },
            { value: 'yes', label: t('mood.yes') },
          ]}
          value={selfHarm}
          onChange={(v) => {
            setSelfHarm(v);
            if (v === 'yes') requestAnimationFrame(() => document.getElementById('crisis')?.scrollIntoView());
          }}
        />
        <Choices name="mood-sexual" legend={QUESTION.sexual_function.text} choices={answers('sexual_function')} value={sexual} onChange={setSexual} />
        <button type="submit" class="button button-primary button-block">
          {t('mood.save')}
        </button>
        {saved && (
          <p role="status">
            {content.follow_up.always[0].text}
            <SourceIds facts={content.follow_up.always[0].facts} />
          </p>
        )}
      </form>
      <section class="card" aria-labelledby="mood-history-heading">
        <h2 id="mood-history-heading">{t('mood.history')}</h2>
        {Object.keys(history).length === 0 ? (
          <p class="muted">{t('mood.no_answers')}</p>
        ) : (
          <div class="table-scroll" tabIndex={0} role="region" aria-labelledby="mood-history-heading">
            <table class="data-table wrap">
              <thead>
                <tr>
                  <th scope="col">{t('mood.week')}</th>
                  <th scope="col">{t('mood.little_interest')}</th>
                  <th scope="col">{t('mood.feeling_low')}</th>
                  <th scope="col">{t('mood.self_harm_thoughts')}</th>
                </tr>
              </thead>
              <tbody>
                {Object.values(history)
                  .sort((a, b) => (a.week < b.week ? 1 : -1))
                  .map((m) => (
                    <tr key={m.week}>
                      <th scope="row">{m.week}</th>
                      <td>{LABEL[m.interest]}</td>
                      <td>{LABEL[m.low_mood]}</td>
                      <td>{m.self_harm_thoughts ? t('mood.yes') : t('mood.no')}</td>
                    </tr>
                  ))}
              </tbody>
            </table>
          </div>
        )}
        <p class="muted">
          {t('mood.bring_answers')}
          <SourceIds facts={['MOOD-1', 'PRODUCT-1']} />
        </p>
      </section>
    </div>
  );
}
