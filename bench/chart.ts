/**
 * A line chart as hand-written SVG, no dependency: log-scale x (number of hooks), log-scale y (ms),
 * one polyline per series through the medians, a min-max whisker at each point, grid, axes, legend.
 */

export interface ChartPoint {
  x: number;
  median: number;
  min: number;
  max: number;
}

export interface ChartSeries {
  label: string;
  points: ChartPoint[];
}

export interface ChartText {
  title: string;
  subtitle: string;
}

const WIDTH = 800;
const HEIGHT = 500;
const MARGIN = { left: 80, right: 30, top: 70, bottom: 60 };
const STYLES = [
  { color: '#1f77b4', dash: '' },
  { color: '#ff7f0e', dash: '' },
  { color: '#555555', dash: '6 4' },
];

function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function fmt(value: number): string {
  return Number(value.toFixed(1)).toString();
}

/** Tick values 1, 2, 5 × 10^k covering [low, high]. */
function logTicks(low: number, high: number, steps: number[]): number[] {
  const ticks: number[] = [];
  for (let exponent = Math.floor(Math.log10(low)); exponent <= Math.ceil(Math.log10(high)); exponent++) {
    for (const step of steps) {
      const value = step * 10 ** exponent;
      if (value >= low * 0.999 && value <= high * 1.001) ticks.push(value);
    }
  }
  return ticks;
}

/** 10 000 rather than 10000; 0.5 as is. */
function label(value: number): string {
  return value >= 1_000 ? value.toLocaleString('en-US').replace(/,/g, ' ') : String(value);
}

export function renderLatencyChart(series: ChartSeries[], text: ChartText): string {
  const points = series.flatMap((s) => s.points);
  if (points.length === 0) throw new Error('nothing to chart');
  const xLow = 10 ** Math.floor(Math.log10(Math.min(...points.map((p) => p.x))));
  const xHigh = Math.max(xLow * 10, 10 ** Math.ceil(Math.log10(Math.max(...points.map((p) => p.x)))));
  const yLow = 10 ** Math.floor(Math.log10(Math.max(0.1, Math.min(...points.map((p) => p.min)))));
  const yHigh = Math.max(yLow * 10, 10 ** Math.ceil(Math.log10(Math.max(...points.map((p) => p.max)))));
  const plotWidth = WIDTH - MARGIN.left - MARGIN.right;
  const plotHeight = HEIGHT - MARGIN.top - MARGIN.bottom;
  const sx = (x: number) => MARGIN.left + ((Math.log10(x) - Math.log10(xLow)) / (Math.log10(xHigh) - Math.log10(xLow))) * plotWidth;
  const sy = (y: number) =>
    MARGIN.top + plotHeight - ((Math.log10(Math.max(y, yLow)) - Math.log10(yLow)) / (Math.log10(yHigh) - Math.log10(yLow))) * plotHeight;

  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" ` +
      `font-family="Helvetica, Arial, sans-serif" font-size="12">`,
    `<rect width="${WIDTH}" height="${HEIGHT}" fill="#ffffff"/>`,
    `<text x="${WIDTH / 2}" y="24" text-anchor="middle" font-size="16" font-weight="bold">${escape(text.title)}</text>`,
    `<text x="${WIDTH / 2}" y="44" text-anchor="middle" font-size="11" fill="#555555">${escape(text.subtitle)}</text>`,
  );
  // Grid and ticks.
  const majors = new Set(logTicks(xLow, xHigh, [1]));
  for (const x of logTicks(xLow, xHigh, [1, 2, 3, 4, 5, 6, 7, 8, 9])) {
    const major = majors.has(x);
    out.push(
      `<line x1="${fmt(sx(x))}" y1="${MARGIN.top}" x2="${fmt(sx(x))}" y2="${MARGIN.top + plotHeight}" stroke="${major ? '#cccccc' : '#f0f0f0'}"/>`,
    );
    if (major) out.push(`<text x="${fmt(sx(x))}" y="${MARGIN.top + plotHeight + 18}" text-anchor="middle">${label(x)}</text>`);
  }
  for (const y of logTicks(yLow, yHigh, [1, 2, 5])) {
    out.push(
      `<line x1="${MARGIN.left}" y1="${fmt(sy(y))}" x2="${MARGIN.left + plotWidth}" y2="${fmt(sy(y))}" stroke="#e4e4e4"/>`,
      `<text x="${MARGIN.left - 8}" y="${fmt(sy(y) + 4)}" text-anchor="end">${label(y)}</text>`,
    );
  }
  // Axes.
  out.push(
    `<line x1="${MARGIN.left}" y1="${MARGIN.top + plotHeight}" x2="${MARGIN.left + plotWidth}" y2="${MARGIN.top + plotHeight}" stroke="#000000"/>`,
    `<line x1="${MARGIN.left}" y1="${MARGIN.top}" x2="${MARGIN.left}" y2="${MARGIN.top + plotHeight}" stroke="#000000"/>`,
    `<text x="${MARGIN.left + plotWidth / 2}" y="${HEIGHT - 16}" text-anchor="middle">number of no-op hooks (log scale)</text>`,
    `<text transform="translate(22 ${MARGIN.top + plotHeight / 2}) rotate(-90)" text-anchor="middle">SIGTERM → exit, ms (log scale; median, min-max whiskers)</text>`,
  );
  // Series.
  series.forEach((s, index) => {
    const style = STYLES[index % STYLES.length];
    const sorted = [...s.points].sort((a, b) => a.x - b.x);
    const dash = style.dash ? ` stroke-dasharray="${style.dash}"` : '';
    out.push(
      `<polyline fill="none" stroke="${style.color}" stroke-width="2"${dash} points="${sorted
        .map((p) => `${fmt(sx(p.x))},${fmt(sy(p.median))}`)
        .join(' ')}"/>`,
    );
    for (const p of sorted) {
      const x = fmt(sx(p.x));
      out.push(
        `<line x1="${x}" y1="${fmt(sy(p.min))}" x2="${x}" y2="${fmt(sy(p.max))}" stroke="${style.color}" stroke-width="1"/>`,
        `<circle cx="${x}" cy="${fmt(sy(p.median))}" r="3.5" fill="${style.color}"><title>${escape(
          `${s.label}, ${p.x} hooks: ${p.median.toFixed(1)} ms (${p.min.toFixed(1)}-${p.max.toFixed(1)})`,
        )}</title></circle>`,
      );
    }
  });
  // Legend, top left inside the plot.
  const legendWidth = 12 + Math.max(...series.map((s) => s.label.length)) * 6.6 + 40;
  out.push(
    `<rect x="${MARGIN.left + 12}" y="${MARGIN.top + 10}" width="${fmt(legendWidth)}" height="${series.length * 20 + 10}" ` +
      'fill="#ffffff" fill-opacity="0.9" stroke="#999999"/>',
  );
  series.forEach((s, index) => {
    const style = STYLES[index % STYLES.length];
    const y = MARGIN.top + 25 + index * 20;
    const dash = style.dash ? ` stroke-dasharray="${style.dash}"` : '';
    out.push(
      `<line x1="${MARGIN.left + 22}" y1="${y}" x2="${MARGIN.left + 50}" y2="${y}" stroke="${style.color}" stroke-width="2"${dash}/>`,
      `<text x="${MARGIN.left + 58}" y="${y + 4}">${escape(s.label)}</text>`,
    );
  });
  out.push('</svg>', '');
  return out.join('\n');
}
