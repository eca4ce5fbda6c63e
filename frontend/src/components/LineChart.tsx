/** A small SVG line chart (no library): one or two series over dates, named for assistive technology.
 * The numbers are always also given as a table next to it. */
export interface Series {
  name: string;
  points: { x: string; y: number }[];
  className: string;
}

const W = 340;
const H = 160;
const PAD = 28;

export function LineChart({ label, series, yMax }: { label: string; series: Series[]; yMax?: number }) {
  const xs = [...new Set(series.flatMap((s) => s.points.map((p) => p.x)))].sort();
  const top = yMax ?? Math.max(1, ...series.flatMap((s) => s.points.map((p) => p.y)));
  const x = (d: string) => PAD + (xs.length < 2 ? 0 : (xs.indexOf(d) / (xs.length - 1)) * (W - PAD * 1.5));
  const y = (v: number) => H - PAD + 4 - (v / top) * (H - PAD * 1.5);
  return (
    <figure class="chart">
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={label}>
        <line class="axis" x1={PAD} y1={y(0)} x2={W - 4} y2={y(0)} />
        <line class="axis" x1={PAD} y1={y(0)} x2={PAD} y2={y(top)} />
        <text class="tick" x={PAD - 4} y={y(top) + 4} text-anchor="end">
          {Math.round(top)}
        </text>
        <text class="tick" x={PAD - 4} y={y(0)} text-anchor="end">
          0
        </text>
        {xs.length > 0 && (
          <>
            <text class="tick" x={PAD} y={H - 4}>
              {xs[0].slice(5)}
            </text>
            <text class="tick" x={W - 4} y={H - 4} text-anchor="end">
              {xs[xs.length - 1].slice(5)}
            </text>
          </>
        )}
        {series.map((s) => (
          <polyline key={s.name} class={`line ${s.className}`} points={s.points.map((p) => `${x(p.x)},${y(p.y)}`).join(' ')} />
        ))}
      </svg>
      {series.length > 1 && (
        <figcaption class="legend">
          {series.map((s) => (
            <span key={s.name} class={`key ${s.className}`}>
              {s.name}
            </span>
          ))}
        </figcaption>
      )}
    </figure>
  );
}
