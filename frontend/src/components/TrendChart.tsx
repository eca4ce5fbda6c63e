import { useEffect, useRef, useState } from 'preact/hooks';
import { t } from '../i18n';
import { dayAxis, dayRange } from '../lib/chartAxis';

const HEIGHT = 180;
const seconds = (day: string) => Date.parse(`${day}T00:00:00Z`) / 1000;
const cssVar = (name: string) => getComputedStyle(document.documentElement).getPropertyValue(name).trim();

/**
 * One value per date (skin 0–10, an effect 0–3; null = not answered, drawn as a gap) drawn with uPlot, the chart library the Timeline uses,
 * fetched only when a chart is first shown. The caller puts the same numbers in a table beside it.
 */
export function TrendChart({ points, max, label }: { points: { date: string; value: number | null }[]; max: number; label: string }) {
  const box = useRef<HTMLDivElement>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    const target = box.current;
    if (!target || !points.length) return;
    let live = true;
    let stop: (() => void) | null = null;
    Promise.all([import('uplot'), import('uplot/dist/uPlot.min.css')]).then(
      ([{ default: UPlot }]) => {
        if (!live) return;
        const plot = new UPlot(
          {
            width: target.clientWidth,
            height: HEIGHT,
            legend: { show: false },
            cursor: { show: false },
            scales: { x: { time: true, range: () => dayRange(seconds(points[0].date), seconds(points[points.length - 1].date)) }, y: { range: [0, max] } },
            axes: [
              {
                stroke: cssVar('--muted'),
                grid: { stroke: cssVar('--line'), width: 1 },
                ...dayAxis(),
              },
              { stroke: cssVar('--muted'), grid: { stroke: cssVar('--line'), width: 1 }, size: 32 },
            ],
            series: [{}, { label, stroke: cssVar('--primary'), width: 2.5, points: { show: points.length < 40 } }],
          },
          [points.map((p) => seconds(p.date)), points.map((p) => p.value)],
          target,
        );
        const resize = new ResizeObserver(() => plot.setSize({ width: target.clientWidth, height: HEIGHT }));
        resize.observe(target);
        stop = () => {
          resize.disconnect();
          plot.destroy();
        };
      },
      () => live && setFailed(true),
    );
    return () => {
      live = false;
      stop?.();
    };
  }, [points, max, label]);
  return (
    <figure class="chart-figure">
      <div ref={box} class="chart trend-chart" aria-hidden="true" />
      {failed && <p class="muted">{t('charts.failed')}</p>}
    </figure>
  );
}
