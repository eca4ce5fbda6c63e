import { Link } from '../components/Link';
import { timeline, today } from '../store';
import type { FactText, Milestone, Phase } from '../types';

function collect(): Map<string, string[]> {
  const byFact = new Map<string, string[]>();
  const add = (facts: string[], text: string) => {
    for (const id of facts) {
      const texts = byFact.get(id) ?? [];
      if (!texts.includes(text)) texts.push(text);
      byFact.set(id, texts);
    }
  };
  const addItems = (items: FactText[]) => items.forEach((item) => add(item.facts, item.text));
  const addPhase = (phase: Phase) => [phase.expectations, phase.tips, phase.report_now].forEach(addItems);
  const addMilestone = (m: Milestone) => add(m.facts, m.title);
  const t = today.value?.data;
  if (t) {
    if (t.phase) addPhase(t.phase);
    addItems(t.dose_guidance);
    t.next_milestones.forEach(addMilestone);
  }
  const tl = timeline.value?.data;
  if (tl) {
    tl.phases.forEach(addPhase);
    tl.milestones.forEach(addMilestone);
    addItems(tl.report_now);
  }
  return new Map([...byFact.entries()].sort(([a], [b]) => a.localeCompare(b, undefined, { numeric: true })));
}

export function Sources() {
  const facts = collect();
  return (
    <div class="view">
      <header class="view-header">
        <h1 tabIndex={-1}>Sources</h1>
        <p class="lede">
          Medical text in ClearCourse comes from a reviewed list of facts, each with a public source (a drug label, a regulator or a guideline). The
          ids below are the ones your screens use; the full table of statements and sources is published with the app’s source code as docs/clinical-sources.md.
        </p>
      </header>
      {facts.size ? (
        <dl class="facts">
          {[...facts.entries()].map(([id, texts]) => (
            <div key={id} id={`fact-${id}`} tabIndex={-1} class="fact">
              <dt>{id}</dt>
              {texts.map((text, index) => (
                <dd key={index}>{text}</dd>
              ))}
            </div>
          ))}
        </dl>
      ) : (
        <p class="muted">Open Today and Timeline once to load the texts and their sources.</p>
      )}
      <p>
        <Link href="/settings">Back to Settings</Link>
      </p>
    </div>
  );
}
