// The form's numbers: one row per field of the contest, in form order, with the crop of the
// photo the reader read it from, the doubtful ones marked until the officer has looked at
// them, and the form's rules checked as the officer types.
import { h } from '../dom.js';
import { checkForm, fieldsOf, parseCount } from './rules.js';
import { t } from './i18n.js';

const CROP_W = 240;
const CROP_H = 38;

// Draws the field's quadrilateral of the photo (top-left, top-right, bottom-right, bottom-left
// in photo pixels) straightened onto the canvas: the affine map taking its top-left, top-right
// and bottom-left corners to the canvas's.
export function drawCrop(canvas, bitmap, quad) {
  const dpr = globalThis.devicePixelRatio || 1;
  const W = Math.round(CROP_W * dpr);
  const H = Math.round(CROP_H * dpr);
  canvas.width = W;
  canvas.height = H;
  const [tl, tr, , bl] = quad;
  const [ux, uy] = [tr[0] - tl[0], tr[1] - tl[1]];
  const [vx, vy] = [bl[0] - tl[0], bl[1] - tl[1]];
  const det = ux * vy - vx * uy;
  if (!det) return;
  const a = (W * vy) / det;
  const c = (-W * vx) / det;
  const b = (-H * uy) / det;
  const d = (H * ux) / det;
  const ctx = canvas.getContext('2d');
  ctx.setTransform(a, b, c, d, -(a * tl[0] + c * tl[1]), -(b * tl[0] + d * tl[1]));
  ctx.drawImage(bitmap, 0, 0);
}

export class Numbers {
  // contest: GET /api/v1/contests/<id>; params: rules.tpsParams; onChange(): after each edit.
  constructor(contest, params, onChange) {
    this.contest = contest;
    this.params = params;
    this.onChange = onChange;
    this.doubts = new Set();
    this.rows = new Map();
    this.checks = h('div', { id: 'checks', class: 'checks', 'aria-live': 'polite' });
    this.legends = new Map();
    const sections = ['administrasi', 'votes', 'totals'].map((section) => {
      const fields = contest.fields.filter((f) => f.section === section);
      const legend = h('legend', null, t(`section_${section}`));
      this.legends.set(section, legend);
      return h('fieldset', { class: 'section' }, legend, fields.map((f) => this.row(f)));
    });
    this.el = h('div', { id: 'numbers', dataset: { contest: contest.id } }, sections, this.checks);
    this.update();
  }

  row(field) {
    const input = h('input', {
      id: `f-${field.name}`,
      name: field.name,
      inputmode: 'numeric',
      autocomplete: 'off',
      pattern: '[0-9]*',
      oninput: () => {
        // Typing in a doubtful field is the officer's check of it.
        this.doubts.delete(field.name);
        this.update();
        this.onChange();
      },
    });
    const note = h('span', { class: 'note' });
    const confirm = h(
      'button',
      {
        type: 'button',
        class: 'confirm',
        onclick: () => {
          this.doubts.delete(field.name);
          this.update();
          this.onChange();
        },
      },
      t('confirm'),
    );
    const canvas = h('canvas', { class: 'crop', width: 1, height: 1, hidden: true, 'aria-hidden': 'true' });
    const el = h(
      'div',
      { class: 'field', dataset: { field: field.name } },
      h('label', { for: input.id }, field.label),
      canvas,
      h('div', { class: 'entry' }, input, confirm, note),
    );
    this.rows.set(field.name, { el, input, note, canvas, confirm, read: null });
    return el;
  }

  // Puts the words in the current language.
  translate() {
    for (const [section, legend] of this.legends) legend.textContent = t(`section_${section}`);
    for (const row of this.rows.values()) {
      row.confirm.textContent = t('confirm');
      row.note.textContent = row.read?.review ? t('read_as', { digits: row.read.digits.value, bubbles: row.read.bubbles.value }) : '';
    }
    this.update();
  }

  // The reader's result (POST /api/v1/ocr): every value, the doubtful fields, the crops drawn
  // from `bitmaps` (photo SHA-256 -> ImageBitmap).
  applyReading(form, bitmaps) {
    const images = new Map(form.pages.map((p) => [p.page, p.image]));
    this.doubts = new Set(form.review);
    for (const f of form.fields) {
      const row = this.rows.get(f.field);
      if (!row) continue;
      row.input.value = String(f.value);
      row.read = f;
      row.note.textContent = f.review ? t('read_as', { digits: f.digits.value, bubbles: f.bubbles.value }) : '';
      const bitmap = bitmaps.get(images.get(f.page));
      if (bitmap) {
        drawCrop(row.canvas, bitmap, f.crop_photo);
        row.canvas.hidden = false;
      }
    }
    this.update();
  }

  values() {
    const out = {};
    for (const [name, row] of this.rows) out[name] = parseCount(row.input.value);
    return out;
  }

  // [[field, number], ...] in form order, for the statement; null while any is empty.
  entries() {
    const v = this.values();
    const list = this.contest.fields.map((f) => [f.name, v[f.name]]);
    return list.some(([, n]) => n === undefined) ? null : list;
  }

  // What still stands between the form and its signature: {violations, empty, doubtful}.
  status() {
    const values = this.values();
    return {
      violations: checkForm(this.contest, this.params, values),
      empty: this.contest.fields.filter((f) => values[f.name] === undefined).length,
      doubtful: this.doubts.size,
    };
  }

  update() {
    const { violations, empty, doubtful } = this.status();
    const bad = new Set(violations.flatMap((v) => fieldsOf(this.contest, v)));
    for (const [name, row] of this.rows) {
      row.el.classList.toggle('doubt', this.doubts.has(name));
      row.el.classList.toggle('bad', bad.has(name));
      row.input.setAttribute('aria-invalid', bad.has(name) ? 'true' : 'false');
    }
    const label = (name) => this.contest.fields.find((f) => f.name === name)?.label ?? name;
    const items = violations.map((v) =>
      h(
        'li',
        { dataset: { rule: v.rule, field: v.field } },
        h('strong', null, t(`rule_${v.rule}`)),
        ' — ',
        t(v.op === '==' ? 'violation_eq' : 'violation_le', { field: label(v.field), got: v.got, expected: v.expected }),
      ),
    );
    const lines = [];
    if (violations.length) lines.push(h('p', { class: 'bad' }, t('checks_bad', { n: violations.length })), h('ul', null, items));
    if (empty) lines.push(h('p', { class: 'todo' }, t('checks_empty', { n: empty })));
    if (doubtful) lines.push(h('p', { class: 'todo' }, t('checks_doubt', { n: doubtful })));
    if (!violations.length && !empty) lines.unshift(h('p', { class: 'ok' }, t('checks_ok')));
    this.checks.replaceChildren(...lines);
    this.checks.dataset.ok = String(!violations.length && !empty);
    this.checks.dataset.violations = String(violations.length);
  }
}
