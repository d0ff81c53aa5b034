// The "Data terbuka" block at the foot of the nation, region and dapil pages: the files a
// citizen can download to check this page's numbers or count them again (docs/open-data.md).
// Plain links, nothing fetched until the archives are opened, so the first load stays small;
// relative like every other path (api.js), so they work from rekap and from a mirror alike.
import { openData as files } from './api.js';
import { h } from './dom.js';
import { t } from './i18n.js';

// `name`: what the browser saves the file as (the URL's last part alone, `3171.json`, would not
// say which ballot or format it is).
function file(kind, href, name, label, what) {
  return h('li', null, h('a', { href, download: name, dataset: { file: kind } }, label), h('small', null, what));
}

// `code`: the region (the nation ''), for its Sirekap document; undefined on a dapil page,
// which Sirekap had no document for. `contest`: {id, name} where one contest's file has more
// than the ballot's (its candidates: a DPD province, a dapil).
export function openDataSection(ballot, { code, contest } = {}) {
  const items = [
    file('ballot-csv', files.ballotCsv(ballot), `${ballot}.csv`, t('od_ballot_csv', { ballot: t(`ballot_${ballot}`) }), t('od_ballot_csv_what')),
  ];
  if (contest) {
    items.push(
      file('contest-csv', files.contestCsv(ballot, contest.id), `${contest.id}.csv`, t('od_contest_csv', { name: contest.name }), t('od_contest_csv_what')),
      file('columns', files.contestColumns(ballot, contest.id), `${contest.id}.columns.csv`, t('od_columns'), t('od_columns_what')),
    );
  }
  items.push(file('cdf', files.cdf(ballot), `cdf-${ballot}.json`, t('od_cdf'), t('od_cdf_what')));
  if (code !== undefined) {
    items.push(
      file('sirekap', files.sirekap(ballot, code), `sirekap-${[ballot, code].filter(Boolean).join('-')}.json`, t('od_sirekap'), t('od_sirekap_what')),
    );
  }
  return h(
    'section',
    { class: 'open-data' },
    h('h2', null, t('open_data')),
    h('p', { class: 'note' }, t('od_intro')),
    h('ul', { class: 'files' }, items),
    archives(ballot),
    h('p', null, h('a', { href: files.indexUrl, dataset: { file: 'index' } }, t('od_index'))),
  );
}

// The daily archives, listed by the index when first opened: each day's ballot CSV and the
// SHA256SUMS signed by the log's key that vouches for it.
function archives(ballot) {
  const list = h('ul', { class: 'files' });
  const box = h(
    'details',
    {
      class: 'archives',
      ontoggle: async () => {
        if (!box.open || box.dataset.state) return;
        box.dataset.state = 'loading';
        try {
          const dates = [...(await files.index()).archives].sort().reverse();
          list.replaceChildren(
            ...(dates.length
              ? dates.map((date) =>
                  h('li', { dataset: { date } }, h('b', null, date), ' ',
                    h('a', { href: files.archived(date, `${ballot}.csv`), download: `${ballot}-${date}.csv` }, `${ballot}.csv`), ' · ',
                    h('a', { href: files.archived(date, 'SHA256SUMS'), download: `SHA256SUMS-${date}` }, 'SHA256SUMS')),
                )
              : [h('li', { class: 'muted' }, t('od_no_archive'))]),
          );
          box.dataset.state = 'loaded';
        } catch (e) {
          list.replaceChildren(h('li', { class: 'error' }, t('load_failed', { what: e.message })));
          delete box.dataset.state; // closing and opening again tries again
        }
      },
    },
    h('summary', null, t('od_archives')),
    h('p', { class: 'note' }, t('od_archives_what')),
    list,
  );
  return box;
}
