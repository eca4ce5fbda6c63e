import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { useDoseLogs } from '../doseLogs';
import { dayAxis, dayRange } from '../lib/chartAxis';
import { cumulativeSeries, weeklyRows, type CumulativeSeries } from '../lib/cumulative';
import { formatDate, formatShortDate } from '../lib/dates';
import { formatMg, formatNumber, formatWhole } from '../lib/format';
import { t } from '../i18n';
import type { Course } from '../types';

const CHART_HEIGHT = 220;
const DARK = '(prefers-color-scheme: dark)';

const seconds = (day: string) => Date.parse(`${day}T00:00:00Z`) / 1000;
const cssVar = (name: string) => getComputedStyle(document.documentElement).getPropertyValue(name).trim();

/** Draws the chart with uPlot, which is fetched only when a chart is first shown (outside the first-load budget). */
async function drawChart(box: HTMLElement, series: CumulativeSeries): Promise<() => void> {
  const [{ default: UPlot }] = await Promise.all([import('uplot'), import('uplot/dist/uPlot.min.css')]);
  const xs = series.days.map(seconds);
  const target = series.targetMg;
  const colours = { text: cssVar('--muted'), line: cssVar('--line'), logged: cssVar('--primary'), plan: cssVar('--text'), target: cssVar('--danger') };
  const today = series.todayIndex >= 0 ? xs[series.todayIndex] : null;
  const plot = new UPlot(
    {
      width: box.clientWidth,
      height: CHART_HEIGHT,
      legend: { show: false },
      cursor: { show: false },
      scales: { x: { time: true, range: () => dayRange(xs[0], xs[xs.length - 1]) }, y: { range: (_u, _min, max) => [0, Math.max(max, target ?? 0) * 1.05 || 1] } },
      axes: [
        {
          stroke: colours.text,
          grid: { stroke: colours.line, width: 1 },
          ticks: { stroke: colours.line },
          ...dayAxis(),
        },
        {
          stroke: colours.text,
          grid: { stroke: colours.line, width: 1 },
          ticks: { stroke: colours.line },
          size: 56,
          values: (_u, splits) => splits.map((s) => formatNumber(s / 1000) + ' g'),
        },
      ],
      series: [
        {},
        { label: t('charts.dose.logged'), stroke: colours.logged, width: 3 },
        { label: t('charts.dose.plan'), stroke: colours.plan, width: 1.5, dash: [6, 4] },
        ...(target !== null ? [{ label: t('charts.dose.target'), stroke: colours.target, width: 1.5, dash: [2, 3] }] : []),
      ],
      hooks: {
        draw: [
          (u) => {
            if (today === null) return;
            const x = u.valToPos(today, 'x', true);
            const { ctx } = u;
            ctx.save();
            ctx.strokeStyle = colours.logged;
            ctx.setLineDash([]);
            ctx.lineWidth = 2 * devicePixelRatio;
            ctx.beginPath();
            ctx.moveTo(x, u.bbox.top);
            ctx.lineTo(x, u.bbox.top + u.bbox.height);
            ctx.stroke();
            ctx.restore();
          },
        ],
      },
    },
    [xs, series.logged, series.planned, ...(target !== null ? [xs.map(() => target)] : [])],
    box,
  );
  const resize = new ResizeObserver(() => plot.setSize({ width: box.clientWidth, height: CHART_HEIGHT }));
  resize.observe(box);
  return () => {
    resize.disconnect();
    plot.destroy();
  };
}

function useDarkMode(): boolean {
  const [dark, setDark] = useState(() => matchMedia(DARK).matches);
  useEffect(() => {
    const query = matchMedia(DARK);
    const change = () => setDark(query.matches);
    query.addEventListener('change', change);
    return () => query.removeEventListener('change', change);
  }, []);
  return dark;
}

/** Cumulative dose so far against the plan and the target, with the same numbers as a table. */
export function CumulativeDoseChart({ course, today, lastDay }: { course: Course; today: string; lastDay: string | null }) {
  const { logs, stale } = useDoseLogs(course, today);
  const series = useMemo(() => (logs ? cumulativeSeries(course, logs, today, lastDay) : null), [logs, course, today, lastDay]);
  const box = useRef<HTMLDivElement>(null);
  const dark = useDarkMode();
  const [failed, setFailed] = useState(false);

  useEffect(() => {
    if (!series || !box.current) return;
    let cleanup: (() => void) | null = null;
    let live = true;
    drawChart(box.current, series).then(
      (stop) => (live ? (cleanup = stop) : stop()),
      () => live && setFailed(true),
    );
    return () => {
      live = false;
      cleanup?.();
    };
  }, [series, dark]);

  const loggedNow = series && series.todayIndex >= 0 ? series.logged[series.todayIndex] : null;
  const plannedNow = series && series.todayIndex >= 0 ? series.planned[series.todayIndex] : null;
  return (
    <section class="card" id="dose-chart" aria-labelledby="dose-chart-heading">
      <h2 id="dose-chart-heading">{t('charts.dose.heading')}</h2>
      {!series ? (
        <p class="muted" role="status">
          {stale ? t('charts.offline') : t('charts.dose.loading')}
        </p>
      ) : (
        <>
          <p>
            {t('charts.dose.logged_today')} <strong>{formatMg(loggedNow ?? 0)}</strong>
            {plannedNow !== null && <> · {t('charts.dose.plan_today', { mg: formatMg(plannedNow) })}</>}
            {series.targetMg !== null && <> · {t('charts.dose.target_is', { mg: formatMg(series.targetMg) })}</>}.
          </p>
          {stale && <p class="muted">{t('charts.dose.stale')}</p>}
          <figure class="chart-figure">
            <div ref={box} class="chart" aria-hidden="true" />
            {failed && <p class="muted">{t('charts.failed')}</p>}
            <figcaption class="chart-legend">
              <span class="key key-logged">{t('charts.dose.logged')}</span>
              <span class="key key-plan">{t('charts.dose.plan')}</span>
              {series.targetMg !== null && <span class="key key-target">{t('charts.dose.target')}</span>}
              <span class="key key-today">{t('charts.dose.today')}</span>
            </figcaption>
          </figure>
          <details>
            <summary>{t('charts.dose.table')}</summary>
            <div class="table-scroll" tabIndex={0} role="region" aria-label={t('charts.table.label', { caption: t('charts.dose.heading') })}>
              <table class="data-table">
                <caption class="visually-hidden">{t('charts.dose.caption')}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('charts.dose.week')}</th>
                    <th scope="col">{t('charts.date')}</th>
                    <th scope="col">{t('charts.dose.logged_mg')}</th>
                    <th scope="col">{t('charts.dose.plan_mg')}</th>
                  </tr>
                </thead>
                <tbody>
                  {weeklyRows(series).map((row) => (
                    <tr key={row.day} class={row.day === today ? 'row-today' : undefined}>
                      <th scope="row">{row.week}</th>
                      <td>
                        <time dateTime={row.day} title={formatDate(row.day)}>
                          {formatShortDate(row.day)}
                        </time>
                      </td>
                      <td>{row.logged === null ? '—' : formatWhole(row.logged)}</td>
                      <td>{formatWhole(row.planned)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </details>
        </>
      )}
    </section>
  );
}
