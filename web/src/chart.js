// Charts without a library: share bars as HTML (they reflow and stay legible on a phone) and a
// parliament hemicycle as SVG. Each is a few hundred bytes of script.
import { h, svg } from './dom.js';
import { fmtInt, fmtPct } from './i18n.js';

// rows: [{label, sub, value, colour, key}]; shares are of `whole`. Bars are as long as the
// share, except with `stretch` (many parties, most small), where the largest fills the track.
export function shareBars(rows, whole, { highlight = new Set(), stretch = false } = {}) {
  const max = Math.max(1, stretch ? Math.max(...rows.map((r) => r.value)) : whole);
  return h(
    'ol',
    { class: 'bars' },
    rows.map((r) =>
      h(
        'li',
        { class: highlight.has(r.key) ? 'bar won' : 'bar', dataset: { key: r.key, value: r.value } },
        h('span', { class: 'bar-label' }, r.label, r.sub ? h('small', null, r.sub) : null),
        h(
          'span',
          { class: 'bar-track' },
          h('span', {
            class: 'bar-fill',
            style: { width: `${(100 * r.value) / max}%`, background: r.colour },
          }),
        ),
        h('span', { class: 'bar-num' }, h('b', null, fmtPct(r.value, whole)), ' ', fmtInt(r.value)),
      ),
    ),
  );
}

// Seats laid out in rows of a half circle, each party a wedge from the left in the given order.
// groups: [{key, label, seats, colour}].
export function hemicycle(groups, title) {
  const total = groups.reduce((s, g) => s + g.seats, 0);
  const box = svg('svg', { viewBox: '-11 -11 222 122', class: 'hemicycle', role: 'img', 'aria-label': title });
  if (total === 0) return box;
  const rows = Math.max(1, Math.round(Math.sqrt(total / 4)));
  // Rows from the outside in, at most 22 apart, the innermost no nearer the centre than 40.
  const gap = rows === 1 ? 22 : Math.min(22, 55 / (rows - 1));
  const radii = Array.from({ length: rows }, (_, i) => 95 - (rows - 1 - i) * gap);
  const sum = radii.reduce((a, b) => a + b, 0);
  const perRow = radii.map((r) => Math.round((total * r) / sum));
  perRow[rows - 1] += total - perRow.reduce((a, b) => a + b, 0);
  const seats = [];
  radii.forEach((r, i) => {
    const n = perRow[i];
    for (let k = 0; k < n; k++) {
      const a = n === 1 ? Math.PI / 2 : Math.PI - (Math.PI * k) / (n - 1);
      seats.push({ a, x: 100 + r * Math.cos(a), y: 100 - r * Math.sin(a) });
    }
  });
  // Left to right: each party then fills a wedge.
  seats.sort((p, q) => q.a - p.a);
  const spacing = Math.min(gap, (Math.PI * radii[0]) / Math.max(1, perRow[0]));
  const dot = Math.max(0.8, Math.min(10, spacing * 0.42));
  let i = 0;
  for (const g of groups) {
    for (let k = 0; k < g.seats; k++, i++) {
      const s = seats[i];
      box.append(
        svg('circle', { cx: s.x.toFixed(2), cy: s.y.toFixed(2), r: dot.toFixed(2), fill: g.colour },
          svg('title', null, g.label)),
      );
    }
  }
  box.append(svg('text', { x: 100, y: 100, 'text-anchor': 'middle', class: 'hemi-total' }, String(total)));
  return box;
}

export function progressBar(reported, total) {
  const pct = total ? (100 * reported) / total : 0;
  return h(
    'div',
    { class: 'progress', role: 'progressbar', 'aria-valuemin': 0, 'aria-valuemax': total, 'aria-valuenow': reported },
    h('span', { style: { width: `${pct}%` } }),
  );
}
