// The nation or a region on one ballot: progress, totals and shares, a chart, the seat
// projection where the region holds whole dapil, the dapil it touches, and its sub-regions
// (or, for a desa, its TPS).
import * as api from '../api.js';
import { h } from '../dom.js';
import { fmtInt, fmtPct, t } from '../i18n.js';
import { hemicycle, shareBars } from '../chart.js';
import { crumbs, note, progressLine, regionLink, section, stats } from '../common.js';
import { candidateVotes, childTotals, colour, docTotals, isPartyBallot, partyVotes, singleContest } from '../fields.js';
import { dprEligible, projectSeats } from '../projection.js';
import { electedCandidates } from '../seats.js';
import { dapilHref } from '../routes.js';
import { openDataSection } from '../opendata.js';

const CHILD_LEVEL = { nasional: 'provinsi', provinsi: 'kabkota', kabkota: 'kecamatan', kecamatan: 'kelurahan', kelurahan: 'tps' };

export async function regionView({ ballot, code }) {
  const [doc, partyList, status] = await Promise.all([
    api.regionDoc(ballot, code),
    isPartyBallot(ballot) ? api.parties() : [],
    api.status(),
  ]);
  // A summary names its dapil; below it, the province's index of contests does.
  const index = doc.totals || doc.contests.length === 0 ? doc.contests : await api.ballotContests(ballot, code.slice(0, 2));
  const contestInfo = new Map(index.map((c) => [c.id, c]));
  const parties = new Map(partyList.map((p) => [p.number, p]));
  const region = doc.region;
  const title = code === '' ? 'Indonesia' : region.name;
  const totals = docTotals(doc);
  // One candidate contest (PPWP; DPD within a province): its candidates' names.
  const singleId = isPartyBallot(ballot) ? null : singleContest(doc);
  const single = singleId ? await api.contest(singleId) : null;

  const body = [
    crumbs(ballot, doc.parents, code === '' ? null : region.name),
    h('h1', null, title, ' ', h('small', null, t(`level_${region.level}`))),
    h('p', { class: 'ballot-long' }, t(`ballot_long_${ballot}`)),
    progressLine(doc.progress, status.updated_ms),
  ];
  if (doc.progress.total === 0) {
    body.push(note(t('no_contest')));
    return { title, body };
  }
  body.push(stats(totals));

  if (isPartyBallot(ballot)) {
    body.push(partySection(totals, parties));
    body.push(await seatSection(ballot, code, doc, contestInfo, parties));
  } else if (single) {
    const whole = contestInfo.get(single.id)?.scope.startsWith(code) && ballot === 'pdpd';
    body.push(candidateSection(single, totals, whole));
  }
  if (ballot !== 'ppwp' && doc.contests.length > 0) body.push(dapilSection(ballot, doc, contestInfo));
  // No dapil lies wholly here (a kab/kota in a DPR dapil), or too many for a page (a nation's
  // 2,325 DPRD Kab/Kota dapil, region_summary.hpp): they are one level up, or down.
  if (isPartyBallot(ballot) && doc.contests.length === 0) {
    const up = doc.parents[doc.parents.length - 1];
    body.push(up ? h('p', { class: 'note' }, t('dapil_above'), ' ', regionLink(ballot, up)) : note(t('dapil_below')));
  }
  body.push(childrenSection(ballot, doc, single, parties));
  // PPWP's ballot file already has every field; a DPD province's contest file adds its candidates.
  body.push(openDataSection(ballot, { code, contest: single && single.id !== ballot ? single : null }));
  return { title, body };
}

function candidateSection(contest, totals, showElected) {
  const valid = totals.suara_sah ?? 0;
  const names = new Map(contest.candidates.map((c) => [c.number, c.name]));
  const rows = candidateVotes(totals).map((c) => ({
    key: `c${c.number}`,
    label: `${c.number}. ${names.get(c.number) ?? ''}`,
    value: c.votes,
    colour: colour(c.number),
  }));
  const elected = showElected
    ? new Set(electedCandidates(rows.map((r) => ({ key: r.key, votes: r.value })), contest.seats))
    : new Set();
  return section(
    t('votes'),
    shareBars(rows, valid, { highlight: elected }),
    showElected ? note(`${t('seat_note_dpd')} ${t('projection_caveat')}`) : null,
  );
}

function partySection(totals, parties) {
  const valid = totals.suara_sah ?? 0;
  const rows = [...partyVotes(totals)]
    .sort((a, b) => b[1] - a[1] || a[0] - b[0])
    .map(([n, v]) => ({
      key: `p${n}t`,
      label: `${n}. ${parties.get(n)?.abbrev ?? n}`,
      sub: parties.get(n)?.name,
      value: v,
      colour: colour(n),
    }));
  return section(t('votes'), shareBars(rows, valid, { stretch: true }));
}

// Seats of the dapil lying wholly inside this region: their totals here are the whole dapil's.
async function seatSection(ballot, code, doc, contestInfo, parties) {
  const whole = doc.contests.filter((c) => contestInfo.get(c.id)?.scope.startsWith(code));
  if (whole.length === 0) return null;
  const dapil = whole.map((c) => ({ seats: contestInfo.get(c.id).seats, totals: c.totals }));
  let eligible = null;
  if (ballot === 'pdpr') eligible = (await dprEligible(code === '' ? doc : undefined)).eligible;
  const seats = projectSeats(dapil, eligible);
  const groups = [...seats]
    .filter(([, s]) => s > 0)
    .sort((a, b) => a[0] - b[0])
    .map(([n, s]) => ({ key: n, label: `${parties.get(n)?.abbrev ?? n}: ${s}`, seats: s, colour: colour(n) }));
  const total = dapil.reduce((s, d) => s + d.seats, 0);
  const table = h(
    'table',
    { class: 'seat-table' },
    h('thead', null, h('tr', null, h('th', null, t('party')), h('th', { class: 'num' }, t('seats')))),
    h(
      'tbody',
      null,
      [...groups]
        .sort((a, b) => b.seats - a.seats || a.key - b.key)
        .map((g) =>
          h('tr', { dataset: { party: g.key } },
            h('td', null, h('i', { class: 'swatch', style: { background: g.colour } }), ` ${parties.get(g.key)?.abbrev ?? g.key}`),
            h('td', { class: 'num', dataset: { value: g.seats } }, g.seats)),
        ),
    ),
  );
  return h(
    'section',
    { class: 'seats' },
    h('h2', null, t('seat_projection'), ' ', h('small', null, t('seats_n', { n: fmtInt(total) }))),
    h('div', { class: 'seat-chart' }, hemicycle(groups, t('seat_projection')), table),
    note(`${ballot === 'pdpr' ? t('seat_note_dpr') : t('seat_note_dprd')} ${t('seat_scope', { n: whole.length })} ${t('projection_caveat')}`),
  );
}

function dapilSection(ballot, doc, contestInfo) {
  const rows = doc.contests.map((c) => {
    const info = contestInfo.get(c.id) ?? { name: c.id, seats: 0 };
    return h(
      'tr',
      null,
      h('td', null, h('a', { href: dapilHref(ballot, c.id) }, info.name)),
      h('td', { class: 'num' }, fmtInt(info.seats)),
      h('td', { class: 'num' }, `${fmtInt(c.progress.reported)}/${fmtInt(c.progress.total)}`),
      h('td', { class: 'num' }, fmtInt(c.totals.suara_sah)),
    );
  });
  return section(
    t('dapil_list'),
    h('div', { class: 'scroll' },
      h('table', { class: 'dapil-table' },
        h('thead', null, h('tr', null, h('th', null, t('dapil')), h('th', { class: 'num' }, t('seats')),
          h('th', { class: 'num' }, 'TPS'), h('th', { class: 'num' }, t('valid_votes')))),
        h('tbody', null, rows))),
  );
}

function childrenSection(ballot, doc, single, parties) {
  if (doc.children.length === 0) return null;
  const level = CHILD_LEVEL[doc.region.level];
  // One contest everywhere below (PPWP, or DPD within a province): a column per candidate.
  const columns = single ? candidateVotes(docTotals(doc)).map((c) => c.number) : [];
  const head = [
    h('th', null, t(`level_${level}`)),
    h('th', { class: 'num' }, 'TPS'),
    ...(single
      ? columns.map((n) => h('th', { class: 'num', title: single.candidates.find((c) => c.number === n)?.name }, `${n}`))
      : [h('th', { class: 'num' }, t('valid_votes')), h('th', null, t('leading'))]),
  ];
  const rows = doc.children.map((child) => {
    const totals = childTotals(child);
    const reported = totals !== null;
    const valid = totals?.suara_sah ?? 0;
    const cells = [
      h('td', null, regionLink(ballot, child)),
      h('td', { class: 'num' }, `${fmtInt(child.progress.reported)}/${fmtInt(child.progress.total)}`),
    ];
    if (!reported) {
      cells.push(h('td', { class: 'muted', colspan: single ? columns.length : 2 }, t('not_reported')));
    } else if (single) {
      for (const n of columns) {
        const v = totals[`c${n}`] ?? 0;
        cells.push(h('td', { class: 'num', dataset: { field: `c${n}`, value: v } }, fmtPct(v, valid), h('small', null, fmtInt(v))));
      }
    } else {
      cells.push(h('td', { class: 'num', dataset: { field: 'suara_sah', value: valid } }, fmtInt(valid)));
      cells.push(h('td', null, leading(ballot, totals, parties)));
    }
    return h('tr', { dataset: { code: child.code } }, cells);
  });
  return section(
    t('children_of', { level: t(`level_${level}`) }),
    h('div', { class: 'scroll' }, h('table', { class: 'children' }, h('thead', null, h('tr', null, head)), h('tbody', null, rows))),
  );
}

function leading(ballot, totals, parties) {
  const valid = totals.suara_sah ?? 0;
  const entries = isPartyBallot(ballot)
    ? [...partyVotes(totals)].map(([n, v]) => [parties.get(n)?.abbrev ?? `${n}`, v, n])
    : candidateVotes(totals).map((c) => [`No. ${c.number}`, c.votes, c.number]);
  if (entries.length === 0) return '–';
  const [label, votes, n] = entries.reduce((a, b) => (b[1] > a[1] ? b : a));
  return h('span', null, h('i', { class: 'swatch', style: { background: colour(n) } }), ` ${label} `, h('small', null, fmtPct(votes, valid)));
}
