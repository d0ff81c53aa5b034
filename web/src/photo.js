// A photo viewer for the C1 pages: zoom with buttons, the wheel, a double tap or two fingers,
// pan by dragging. The image sits in a stage whose transform is the only state, so boxes
// drawn in the stage (a field's crop, when the reader's crops are published) zoom with it.
import { h } from './dom.js';
import { t } from './i18n.js';

const MIN = 1;
const MAX = 8;

export function openPhoto(src, caption) {
  let scale = 1;
  let x = 0;
  let y = 0;
  const img = h('img', { src, alt: caption, draggable: 'false' });
  const stage = h('div', { class: 'stage' }, img);
  const viewport = h('div', { class: 'viewport' }, stage);
  const apply = () => {
    stage.style.transform = `translate(${x}px, ${y}px) scale(${scale})`;
    dialog.dataset.scale = scale.toFixed(2);
  };
  // Zooms about a point of the viewport, so what is under the finger stays there.
  const zoomAt = (factor, cx, cy) => {
    const next = Math.min(MAX, Math.max(MIN, scale * factor));
    const k = next / scale;
    x = cx - k * (cx - x);
    y = cy - k * (cy - y);
    scale = next;
    if (scale === MIN) x = y = 0;
    apply();
  };
  const centre = () => {
    const r = viewport.getBoundingClientRect();
    return [r.width / 2, r.height / 2];
  };
  const button = (label, symbol, cls, onclick) =>
    h('button', { type: 'button', class: cls, 'aria-label': label, title: label, onclick }, symbol);
  const dialog = h(
    'dialog',
    { class: 'photo', 'aria-label': caption },
    h(
      'div',
      { class: 'photo-bar' },
      h('span', { class: 'photo-caption' }, caption),
      button(t('zoom_out'), '−', 'zoom-out', () => zoomAt(1 / 1.5, ...centre())),
      button(t('zoom_in'), '+', 'zoom-in', () => zoomAt(1.5, ...centre())),
      button(t('zoom_reset'), '1:1', 'zoom-reset', () => {
        scale = 1;
        x = y = 0;
        apply();
      }),
      h('a', { href: src, target: '_blank', rel: 'noopener', title: t('open_photo') }, '↗'),
      button(t('close'), '✕', 'close', () => dialog.close()),
    ),
    viewport,
  );

  viewport.addEventListener('wheel', (e) => {
    e.preventDefault();
    const r = viewport.getBoundingClientRect();
    zoomAt(e.deltaY < 0 ? 1.2 : 1 / 1.2, e.clientX - r.left, e.clientY - r.top);
  }, { passive: false });
  viewport.addEventListener('dblclick', (e) => {
    const r = viewport.getBoundingClientRect();
    zoomAt(scale > 1 ? 1 / scale : 2.5, e.clientX - r.left, e.clientY - r.top);
  });

  // Pointers: one drags, two pinch.
  const pointers = new Map();
  let pinch = 0;
  viewport.addEventListener('pointerdown', (e) => {
    viewport.setPointerCapture(e.pointerId);
    pointers.set(e.pointerId, [e.clientX, e.clientY]);
    if (pointers.size === 2) pinch = distance();
  });
  const distance = () => {
    const [a, b] = [...pointers.values()];
    return Math.hypot(a[0] - b[0], a[1] - b[1]);
  };
  viewport.addEventListener('pointermove', (e) => {
    const last = pointers.get(e.pointerId);
    if (!last) return;
    if (pointers.size === 1 && scale > 1) {
      x += e.clientX - last[0];
      y += e.clientY - last[1];
      apply();
    }
    pointers.set(e.pointerId, [e.clientX, e.clientY]);
    if (pointers.size === 2 && pinch > 0) {
      const d = distance();
      const [a, b] = [...pointers.values()];
      const r = viewport.getBoundingClientRect();
      zoomAt(d / pinch, (a[0] + b[0]) / 2 - r.left, (a[1] + b[1]) / 2 - r.top);
      pinch = d;
    }
  });
  const up = (e) => {
    pointers.delete(e.pointerId);
    if (pointers.size < 2) pinch = 0;
  };
  viewport.addEventListener('pointerup', up);
  viewport.addEventListener('pointercancel', up);

  dialog.addEventListener('close', () => dialog.remove());
  document.body.append(dialog);
  apply();
  dialog.showModal();
  return dialog;
}
