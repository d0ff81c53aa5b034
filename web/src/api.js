// Reads the published documents. Every path here is one rekap serves and also writes to the
// publish directory (as <path>.json), so the portal works the same from nginx or a CDN.
// Paths are relative, so a mirror may serve the portal below a prefix.
import { codePath } from './routes.js';

export class NotFound extends Error {}

const forever = new Map();

async function fetchJSON(path) {
  // The server answers no-cache with an ETag: the browser revalidates and mostly gets 304.
  const res = await fetch(path);
  if (res.status === 404) throw new NotFound(path);
  if (!res.ok) throw new Error(`${path}: HTTP ${res.status}`);
  return res.json();
}

// Documents that change only with the election's definition are fetched once per page load.
function once(path) {
  if (!forever.has(path)) {
    const p = fetchJSON(path);
    p.catch(() => forever.delete(path));
    forever.set(path, p);
  }
  return forever.get(path);
}

export const parties = () => once('api/v1/portal/parties');
export const contest = (id) => once(`api/v1/contests/${id}`);
// The contests of a ballot with TPS in a province: [{id, name, seats, regions, scope}].
export const ballotContests = (ballot, province) => once(`api/v1/portal/contests/${ballot}/${province}`);
export const searchShard = (key) => once(`api/v1/portal/search/${key}`);

export const results = (ballot, code) =>
  fetchJSON(code ? `api/v1/results/${ballot}/${code}` : `api/v1/results/${ballot}`);
export const summary = (ballot, code) =>
  fetchJSON(code ? `api/v1/portal/summary/${ballot}/${code}` : `api/v1/portal/summary/${ballot}`);

// What a region's page reads: the summary down to kab/kota (the results of a nation list every
// candidate of every dapil, megabytes on the DPRD ballots), the results below. fields.js reads
// both shapes.
export const regionDoc = (ballot, code) => (code.length <= 4 ? summary(ballot, code) : results(ballot, code));
export const tps = (code) => fetchJSON(`api/v1/tps/${code}`);
export const status = () => fetchJSON('api/v1/portal/status');

export const imageUrl = (sha256) => `api/v1/images/${sha256}`;

// The open-data files (docs/open-data.md, published under these very paths), which the pages
// link for download. Only the index is read, and only when the archives are asked for: it lists
// them, and grows with every file of the election.
export const openData = {
  ballotCsv: (ballot) => `data/${ballot}.csv`,
  contestCsv: (ballot, id) => `data/${ballot}/${id}.csv`,
  contestColumns: (ballot, id) => `data/${ballot}/${id}.columns.csv`,
  cdf: (ballot) => `data/cdf/${ballot}.json`,
  sirekap: (ballot, code) => `pemilu/hhcw/${[ballot, ...codePath(code)].join('/')}.json`,
  archived: (date, name) => `data/${date}/${name}`,
  indexUrl: 'data/index.json',
  index: () => fetchJSON(openData.indexUrl),
};

// A TPS's citizens' reports; null where there are none to read (a static mirror publishes a
// TPS's reports once it has some).
export const reports = (code) =>
  fetchJSON(`api/v1/reports/${code}`).catch((e) => {
    if (e instanceof NotFound) return null;
    throw e;
  });

// Sends a report; answers {status, json} whatever the status (json null when not JSON).
export async function sendReport(body) {
  const res = await fetch('api/v1/reports', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, json: await res.json().catch(() => null) };
}
