// "Laporkan" on the TPS page: the citizens' reports about this TPS (how many, per ballot, the
// newest), and a form to send one — no account; the server limits how often (docs/api.md).
import * as api from '../api.js';
import { h } from '../dom.js';
import { fmtInt, fmtTime, t } from '../i18n.js';
import { section, note } from '../common.js';
import { BALLOTS } from '../routes.js';

// As the server checks them (src/reports/request.hpp).
const TEXT_MIN = 10;
const TEXT_MAX = 1000;

// doc: the TPS document; ballot: the one shown; current: its version in force (or null);
// reports: the TPS's reports document, null where there is none (a mirror before the first
// report); labelOf(ballot, field[, contest]): a field's label.
export function reportsPart({ code, doc, ballot, current, reports, labelOf }) {
  const summary = h('p', { class: 'reports-total' });
  const list = h('ol', { class: 'report-list' });
  const box = section(t('reports'), summary, list);
  box.classList.add('reports');
  box.id = 'laporan';

  const show = (r) => {
    const total = r?.total ?? 0;
    const onBallot = r?.ballots?.[ballot]?.total ?? 0;
    box.dataset.total = total;
    box.dataset.ballotTotal = onBallot;
    summary.replaceChildren(
      ...(total
        ? [h('b', null, t('reports_total', { n: fmtInt(total) })), ' · ', t('reports_ballot', { n: fmtInt(onBallot) })]
        : [t('reports_none')]),
    );
    list.replaceChildren(...(r?.reports ?? []).map((x) => reportItem(x, labelOf)));
  };
  show(reports);
  box.append(reportForm({ code, doc, ballot, current, labelOf, onSent: show }));
  return box;
}

function reportItem(r, labelOf) {
  const fields = r.fields.map((f) => labelOf(r.ballot, f)).join(', ');
  return h(
    'li',
    { class: 'report', dataset: { id: r.id, ballot: r.ballot } },
    h('p', { class: 'report-meta' }, `#${r.id} · ${t(`ballot_${r.ballot}`)} · ${fmtTime(r.received_ms)}`),
    fields ? h('p', { class: 'report-fields' }, `${t('report_fields')}: ${fields}`) : null,
    // Shown as text, never as markup.
    h('p', { class: 'report-text' }, r.text),
  );
}

function reportForm({ code, doc, ballot, current, labelOf, onSent }) {
  const ballots = BALLOTS.filter((b) => doc.ballots[b]);
  const ballotSel = h('select', { name: 'ballot' }, ballots.map((b) => h('option', { value: b, selected: b === ballot }, t(`ballot_${b}`))));
  const fieldSel = h('select', { name: 'field' });
  const text = h('textarea', { name: 'text', rows: 4, maxlength: TEXT_MAX });
  const count = h('small', { class: 'report-count' });
  const status = h('p', { class: 'report-status', role: 'status' });
  const send = h('button', { type: 'submit' }, t('report_send'));

  const fillFields = async () => {
    const b = ballotSel.value;
    const contest = await api.contest(doc.ballots[b].contest);
    if (ballotSel.value !== b) return;
    fieldSel.replaceChildren(
      h('option', { value: '' }, t('report_field_any')),
      ...contest.fields.map((f) => h('option', { value: f.name }, labelOf(b, f.name, contest))),
    );
  };
  const counted = () => {
    count.textContent = t('report_text_count', { n: [...text.value.trim()].length, max: TEXT_MAX });
  };
  const say = (state, message) => {
    status.dataset.state = state;
    status.className = `report-status ${state}`;
    status.textContent = message;
  };
  ballotSel.addEventListener('change', fillFields);
  text.addEventListener('input', counted);
  counted();

  const form = h(
    'form',
    {
      class: 'report-form',
      hidden: true,
      onsubmit: async (e) => {
        e.preventDefault();
        const words = text.value.trim();
        const n = [...words].length;
        if (n < TEXT_MIN) return say('error', t('report_too_short', { min: TEXT_MIN }));
        if (n > TEXT_MAX) return say('error', t('report_too_long', { max: TEXT_MAX }));
        const body = { tps: code, ballot: ballotSel.value, text: words };
        if (fieldSel.value) body.fields = [fieldSel.value];
        // The statement the reader was looking at, when the report is about it.
        if (current && ballotSel.value === ballot) body.statement = current.id;
        send.disabled = true;
        say('sending', t('report_sending'));
        try {
          const { status: code_, json } = await api.sendReport(body);
          if (code_ === 201) {
            say('ok', t('report_sent', { id: json.id }));
            status.dataset.id = json.id;
            text.value = '';
            counted();
            onSent(await api.reports(code));
          } else {
            say('error', refusal(code_, json));
          }
        } catch (err) {
          say('error', t('report_failed', { what: err.message }));
        } finally {
          send.disabled = false;
        }
      },
    },
    note(t('report_intro')),
    h('label', null, t('report_ballot'), ballotSel),
    h('label', null, t('report_field'), fieldSel),
    h('label', null, t('report_text'), text, count),
    h('div', { class: 'report-send' }, send),
    status,
  );
  const open = h('button', {
    type: 'button',
    class: 'report-open',
    'aria-expanded': 'false',
    onclick: async () => {
      form.hidden = false;
      open.setAttribute('aria-expanded', 'true');
      open.hidden = true;
      await fillFields();
      text.focus();
    },
  }, t('report_button'));
  return h('div', { class: 'report-box' }, open, form);
}

// What a refusal says, in the reader's language where the code is known.
function refusal(status, json) {
  json = json ?? {};
  if (status === 429) return t('report_rate_limited', { s: json.retry_after ?? 60 });
  if (json.error === 'duplicate') return t('report_duplicate');
  if (json.error === 'text_too_short') return t('report_too_short', { min: TEXT_MIN });
  if (json.error === 'text_too_long') return t('report_too_long', { max: TEXT_MAX });
  if (json.error === 'control_character') return t('report_control');
  return t('report_failed', { what: json.message ?? `HTTP ${status}` });
}
