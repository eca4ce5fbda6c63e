/**
 * A table of words and numbers in its own box that scrolls sideways when it is wider than the phone (a
 * shadow on the hidden side is the cue; the box takes focus so a keyboard can scroll it). The first cell
 * of each row heads it.
 */
export function DataTable({ label, caption, head, rows }: { label: string; caption?: string; head: string[]; rows: (string | number)[][] }) {
  return (
    <div class="table-scroll" tabIndex={0} role="region" aria-label={label}>
      <table class="data-table">
        {caption && <caption>{caption}</caption>}
        <thead>
          <tr>
            {head.map((h) => (
              <th scope="col" key={h}>
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row, i) => (
            <tr key={i}>
              {row.map((cell, j) => (j === 0 ? <th scope="row" key={j}>{cell}</th> : <td key={j}>{cell}</td>))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
