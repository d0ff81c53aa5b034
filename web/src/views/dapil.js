// One electoral district (dapil) as a whole: its party and candidate votes and the projected
// seats and candidates elected; for the DPR with the national 4% threshold.
import * as api from '../api.js';
import { h } from '../dom.js';
import { fmtInt, fmtPct, t } from '../i18n.js';
import { hemicycle, shareBars } from '../chart.js';
import { crumbs, note, progressLine, regionLink, section, stats } from '../common.js';
import { candidateVotes, colour, isPartyBallot, partyCandidateVotes, partyVotes, sumTotals } from '../fields.js';
import { DPR_THRESHOLD_PERCENT, dprEligible } from '../projection.js';
import { dapilSeats, electedCandidates } from '../seats.js';
import { regionHref } from '../routes.js';
import { openDataSection } from '../opendata.js';

export async function dapilView({ ballot, id }) {
  const [contest, partyList, status] = await Promise.all([api.contest(id), api.parties(), api.status()]);
  if (contest.ballot !== ballot) throw new api.NotFound(id);
  // The regions the dapil covers hold its TPS between them: their numbers add up to the
  // dapil's, candidates included. Each has this contest only, so a summary (kab/kota and up)
  // has them all in its totals; a results document has them in its contest's entry.
  const covered = await Promise.all(contest.regions.map((code) => api.regionDoc(ballot, code)));
  const entries = covered
    .map((d) => (d.totals ? d.contest === id && d : d.contests.find((c) => c.id === id)))
    .filter(Boolean);
  const totals = sumTotals(entries.map((e) => e.totals));
  const progress = {
    reported: entries.reduce((s, e) => s + e.progress.reported, 0),
    total: entries.reduce((s, e) => s + e.progress.total, 0),
  };
  const parties = new Map(partyList.map((p) => [p.number, p]));
  const title = contest.name;

  const body = [
    crumbs(ballot, [{ code: '', name: 'Indonesia' }], title),
    h('h1', null, title, ' ', h('small', null, t('dapil'))),
    h('p', { class: 'ballot-long' }, t(`ballot_long_${ballot}`), ' · ', t('seats_n', { n: fmtInt(contest.seats) })),
    h(
      'p',
      { class: 'covers' },
      t('covers'), ': ',
      covered.map((d, i) => [i ? ', ' : '', regionLink(ballot, d.region)]),
    ),
    progressLine(progress, status.updated_ms),
    stats(totals),
  ];
  if (isPartyBallot(ballot)) {
    body.push(...(await partyView(ballot, contest, totals, parties)));
  } else {
    body.push(candidateView(contest, totals));
  }
  body.push(openDataSection(ballot, { contest }));
  return { title, body };
}

function candidateView(contest, totals) {
  const valid = totals.suara_sah ?? 0;
  const names = new Map(contest.candidates.map((c) => [c.number, c.name]));
  const rows = candidateVotes(totals).map((c) => ({
    key: `c${c.number}`,
    label: `${c.number}. ${names.get(c.number) ?? ''}`,
    value: c.votes,
    colour: colour(c.number),
  }));
  const elected = new Set(electedCandidates(rows.map((r) => ({ key: r.key, votes: r.value })), contest.seats));
  return section(t('votes'), shareBars(rows, valid, { highlight: elected }), note(`${t('seat_note_dpd')} ${t('projection_caveat')}`));
}

async function partyView(ballot, contest, totals, parties) {
  const valid = totals.suara_sah ?? 0;
  const votes = partyVotes(totals);
  let national = null;
  if (ballot === 'pdpr') national = await dprEligible();
  const seats = dapilSeats(votes, contest.seats, national?.eligible ?? null);
  const order = [...votes].sort((a, b) => b[1] - a[1] || a[0] - b[0]).map(([n]) => n);
  const groups = [...seats]
    .filter(([, s]) => s > 0)
    .sort((a, b) => a[0] - b[0])
    .map(([n, s]) => ({ key: n, label: `${parties.get(n)?.abbrev ?? n}: ${s}`, seats: s, colour: colour(n) }));
  const bars = shareBars(
    order.map((n) => ({
      key: `p${n}t`,
      label: `${n}. ${parties.get(n)?.abbrev ?? n}`,
      sub: national && !national.eligible.has(n) ? t('below_threshold') : parties.get(n)?.name,
      value: votes.get(n),
      colour: colour(n),
    })),
    valid,
    { highlight: new Set(groups.map((g) => `p${g.key}t`)), stretch: true },
  );
  const names = new Map(contest.candidates.map((c) => [`${c.party}:${c.number}`, c.name]));
  const detail = order.map((n) => {
    const won = seats.get(n) ?? 0;
    const cands = partyCandidateVotes(totals, n);
    const elected = new Set(electedCandidates(cands.map((c) => ({ key: c.number, votes: c.votes })), won));
    return h(
      'details',
      { class: 'party', dataset: { party: n } },
      h(
        'summary',
        null,
        h('i', { class: 'swatch', style: { background: colour(n) } }),
        ` ${n}. ${parties.get(n)?.name ?? n} `,
        h('span', { class: 'num' }, fmtInt(votes.get(n)), won ? ` · ${t('seats_n', { n: won })}` : ''),
        national
          ? h('small', null, ` · ${t('national_share')} ${fmtPct(national.votes.get(n) ?? 0, national.valid)}`)
          : null,
      ),
      h(
        'table',
        null,
        h('tbody', null,
          h('tr', null, h('td', null, t('party_only')), h('td', { class: 'num', dataset: { field: `p${n}`, value: totals[`p${n}`] } }, fmtInt(totals[`p${n}`]))),
          cands.map((c) =>
            h('tr', { class: elected.has(c.number) ? 'won' : null },
              h('td', null, `${c.number}. ${names.get(`${n}:${c.number}`) ?? ''}`, elected.has(c.number) ? h('small', null, ` — ${t('elected')}`) : null),
              h('td', { class: 'num', dataset: { field: `p${n}c${c.number}`, value: c.votes } }, fmtInt(c.votes))),
          )),
      ),
    );
  });
  return [
    section(t('votes'), bars),
    h(
      'section',
      { class: 'seats' },
      h('h2', null, t('seat_projection'), ' ', h('small', null, t('seats_n', { n: fmtInt(contest.seats) }))),
      hemicycle(groups, t('seat_projection')),
      note(
        `${ballot === 'pdpr' ? t('seat_note_dpr') : t('seat_note_dprd')} ${t('projection_caveat')}` +
          (national ? ` ${t('threshold')}: ${fmtInt(Math.ceil((national.valid * DPR_THRESHOLD_PERCENT) / 100))} / ${fmtInt(national.valid)}.` : ''),
      ),
    ),
    section(t('candidate'), h('div', { class: 'parties' }, detail)),
    h('p', null, h('a', { href: regionHref(ballot, '') }, '← ', t(`ballot_long_${ballot}`))),
  ];
}
