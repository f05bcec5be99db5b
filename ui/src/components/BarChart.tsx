/** A small SVG bar chart: one group per label, stacked (`stacked`) or side by side, with a legend. */
export interface BarSeries {
  name: string;
  color: string;
  values: number[];
}

const WIDTH = 560;
const HEIGHT = 200;
const PAD = { top: 12, right: 12, bottom: 28, left: 52 };

function niceMax(value: number): number {
  if (value <= 0) return 1;
  const magnitude = 10 ** Math.floor(Math.log10(value));
  return [1, 2, 5, 10].map((step) => step * magnitude).find((candidate) => candidate >= value) ?? value;
}

export function BarChart(props: { title: string; labels: string[]; series: BarSeries[]; stacked?: boolean; unit?: string }) {
  const { labels, series, stacked = false, unit = '' } = props;
  const totals = labels.map((_, index) => (stacked ? series.reduce((sum, s) => sum + (s.values[index] ?? 0), 0) : Math.max(0, ...series.map((s) => s.values[index] ?? 0))));
  const max = niceMax(Math.max(0, ...totals));
  const plotWidth = WIDTH - PAD.left - PAD.right;
  const plotHeight = HEIGHT - PAD.top - PAD.bottom;
  const group = plotWidth / Math.max(1, labels.length);
  const barWidth = stacked ? group * 0.6 : (group * 0.7) / Math.max(1, series.length);
  const y = (value: number) => PAD.top + plotHeight - (value / max) * plotHeight;
  const empty = totals.every((total) => total === 0);
  return (
    <figure className="chart card" aria-label={props.title}>
      <figcaption>{props.title}</figcaption>
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-label={props.title}>
        {[0, 0.5, 1].map((fraction) => (
          <g key={fraction}>
            <line className="chart-grid" x1={PAD.left} x2={WIDTH - PAD.right} y1={y(max * fraction)} y2={y(max * fraction)} />
            <text className="chart-axis" x={PAD.left - 6} y={y(max * fraction) + 4} textAnchor="end">
              {(max * fraction).toLocaleString(undefined, { maximumFractionDigits: 1 })}
              {unit}
            </text>
          </g>
        ))}
        {labels.map((label, index) => {
          const left = PAD.left + index * group;
          let base = 0;
          return (
            <g key={label} data-label={label}>
              {series.map((s, position) => {
                const value = s.values[index] ?? 0;
                if (value <= 0) return null;
                const x = stacked ? left + (group - barWidth) / 2 : left + group * 0.15 + position * barWidth;
                const top = stacked ? y(base + value) : y(value);
                const bottom = stacked ? y(base) : y(0);
                base += stacked ? value : 0;
                return (
                  <rect key={s.name} x={x} y={top} width={Math.max(1, barWidth - 2)} height={Math.max(1, bottom - top)} fill={s.color}>
                    <title>{`${label} · ${s.name}: ${value.toLocaleString()}${unit}`}</title>
                  </rect>
                );
              })}
              <text className="chart-axis" x={left + group / 2} y={HEIGHT - 8} textAnchor="middle">
                {label}
              </text>
            </g>
          );
        })}
        {empty && (
          <text className="chart-empty" x={PAD.left + plotWidth / 2} y={PAD.top + plotHeight / 2} textAnchor="middle">
            No data yet
          </text>
        )}
      </svg>
      <ul className="chart-legend">
        {series.map((s) => (
          <li key={s.name}>
            <span className="chart-swatch" style={{ background: s.color }} aria-hidden="true" />
            {s.name}
          </li>
        ))}
      </ul>
    </figure>
  );
}
