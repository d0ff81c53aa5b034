// Indonesian first, English on request; the choice is remembered in localStorage.
const KEY = 'rekap.lang';

const dict = {
  id: {
    brand: 'Rekap Pemilu',
    search_placeholder: 'Cari wilayah atau kode TPS',
    loading: 'Memuat…',
    footer: 'Setiap angka ditandatangani, dicatat dalam log transparansi, dan dapat diperiksa ulang.',
    open_data: 'Data terbuka',
    log: 'Log transparansi',
    od_intro: 'Angka di halaman ini juga terbit sebagai berkas: unduh, periksa, dan hitung sendiri.',
    od_ballot_csv: 'CSV {ballot}, satu baris per TPS',
    od_ballot_csv_what: 'Kode dan nama wilayah, angka yang berlaku, penanda tangan, dan nomor entri log.',
    od_contest_csv: 'CSV {name}, satu baris per TPS',
    od_contest_csv_what: 'Setiap isian formulir, termasuk suara tiap calon.',
    od_columns: 'Arti setiap kolom (CSV)',
    od_columns_what: 'Bagian, label, partai, dan calon dari setiap kolom angka.',
    od_cdf: 'NIST SP 1500-100 (CDF), JSON',
    od_cdf_what: 'Format standar hasil pemilu, dari nasional sampai kecamatan.',
    od_sirekap: 'JSON format Sirekap untuk wilayah ini',
    od_sirekap_what: 'Untuk alat yang dibuat untuk Sirekap KPU 2024.',
    od_archives: 'Arsip harian dan SHA256SUMS bertanda tangan',
    od_archives_what:
      'Setiap hari semua berkas disimpan apa adanya; SHA256SUMS ditandatangani dengan kunci log transparansi.',
    od_no_archive: 'Belum ada arsip.',
    od_index: 'Daftar semua berkas (JSON)',
    ballot_ppwp: 'Presiden',
    ballot_pdpr: 'DPR',
    ballot_pdpd: 'DPD',
    ballot_pdprdp: 'DPRD Provinsi',
    ballot_pdprdk: 'DPRD Kab/Kota',
    ballot_long_ppwp: 'Pemilihan Presiden dan Wakil Presiden',
    ballot_long_pdpr: 'Pemilihan anggota DPR RI',
    ballot_long_pdpd: 'Pemilihan anggota DPD RI',
    ballot_long_pdprdp: 'Pemilihan anggota DPRD Provinsi',
    ballot_long_pdprdk: 'Pemilihan anggota DPRD Kabupaten/Kota',
    level_nasional: 'Nasional',
    level_provinsi: 'Provinsi',
    level_kabkota: 'Kabupaten/Kota',
    level_kecamatan: 'Kecamatan',
    level_kelurahan: 'Desa/Kelurahan',
    level_tps: 'TPS',
    progress: 'Progres',
    progress_text: '{reported} dari {total} TPS ({pct})',
    updated: 'Pembaruan terakhir',
    never: 'belum ada data',
    valid_votes: 'Suara sah',
    invalid_votes: 'Suara tidak sah',
    registered: 'Pemilih terdaftar (DPT)',
    voters: 'Pengguna hak pilih',
    turnout: 'Partisipasi',
    votes: 'Suara',
    share: 'Persentase',
    candidate: 'Calon',
    party: 'Partai',
    region: 'Wilayah',
    leading: 'Terbanyak',
    children_of: 'Rincian per {level}',
    no_contest: 'Tidak ada pemilihan ini di wilayah ini.',
    not_reported: 'belum masuk',
    not_found: 'Tidak ditemukan: {what}',
    load_failed: 'Gagal memuat data ({what}). Coba lagi nanti.',
    dapil: 'Daerah pemilihan',
    dapil_list: 'Daerah pemilihan di wilayah ini',
    dapil_below: 'Daerah pemilihan dan proyeksi kursinya ada di halaman tiap provinsi.',
    dapil_above: 'Daerah pemilihan wilayah ini lebih luas dari wilayah ini; lihat',
    seats: 'Kursi',
    seats_n: '{n} kursi',
    seat_projection: 'Proyeksi perolehan kursi',
    seat_note_dpr:
      'Sainte-Laguë (pembagi 1, 3, 5, …) di tiap dapil, hanya partai yang memperoleh sekurang-kurangnya 4% suara sah nasional.',
    seat_note_dprd: 'Sainte-Laguë (pembagi 1, 3, 5, …) di tiap dapil, tanpa ambang batas.',
    seat_note_dpd: 'Calon dengan suara terbanyak memperoleh kursi.',
    seat_scope: 'Dihitung dari {n} dapil yang seluruhnya berada di wilayah ini.',
    threshold: 'Ambang batas 4%',
    below_threshold: 'di bawah ambang batas',
    national_share: 'Suara sah nasional',
    elected: 'terpilih (proyeksi)',
    party_only: 'Suara partai saja',
    party_total: 'Jumlah suara partai',
    whole_dapil: 'Seluruh dapil',
    covers: 'Wilayah',
    projection_caveat: 'Proyeksi dari suara yang sudah masuk, bukan hasil resmi.',
    tps_page: 'TPS {name}',
    dpt: 'DPT',
    men: 'laki-laki',
    women: 'perempuan',
    total: 'jumlah',
    status_reported: 'Sudah masuk',
    status_missing: 'Belum masuk',
    checked:
      'Lolos pemeriksaan: jumlah suara, suara sah + tidak sah, surat suara, dan batas DPT TPS ini.',
    photos: 'Foto formulir C1',
    no_photos: 'Tidak ada foto (angka dikirim tanpa foto).',
    photo_n: 'Halaman {n}',
    numbers: 'Angka yang berlaku',
    section_administrasi: 'Data pemilih dan surat suara',
    section_votes: 'Perolehan suara',
    section_totals: 'Jumlah suara',
    field: 'Isian',
    value: 'Nilai',
    history: 'Riwayat versi',
    version: 'Versi {rev}',
    type_result: 'hasil',
    type_correction: 'koreksi',
    state_current: 'berlaku',
    state_superseded: 'digantikan',
    signed_by: 'Ditandatangani oleh',
    signer_kpps: 'KPPS TPS ini',
    signer_ppk: 'PPK kecamatan atau admin',
    signed_at: 'Waktu tanda tangan',
    received_at: 'Diterima server',
    reason: 'Alasan koreksi',
    replaces: 'Menggantikan',
    changed: 'Berubah',
    unchanged: 'Angka sama dengan versi sebelumnya',
    log_entry: 'Entri log transparansi',
    log_index: 'Nomor entri',
    statement_id: 'ID pernyataan',
    leaf_hash: 'Hash daun',
    tree_size: 'Ukuran pohon',
    checkpoint: 'Checkpoint bertanda tangan',
    proof_hashes: 'Bukti inklusi ({n} hash)',
    not_in_checkpoint: 'Entri ini belum masuk checkpoint terakhir; coba lagi sebentar lagi.',
    verify: 'Periksa bukti di peramban',
    verify_ok: 'Cocok: entri {index} termasuk dalam pohon {size} entri yang akarnya dinyatakan checkpoint.',
    verify_fail: 'TIDAK cocok: bukti inklusi tidak menghasilkan akar checkpoint.',
    verify_howto: 'Periksa semuanya sendiri: rekap verify (lihat docs/log.md).',
    raw_json: 'JSON TPS',
    proof_json: 'JSON bukti',
    zoom_in: 'Perbesar',
    zoom_out: 'Perkecil',
    zoom_reset: 'Ukuran awal',
    close: 'Tutup',
    open_photo: 'Buka foto',
    search_tps: 'TPS {code}',
    search_code: 'Kode wilayah {code}',
    search_none: 'Tidak ada hasil',
    search_short: 'Ketik sekurang-kurangnya 2 huruf',
    reports: 'Laporan warga',
    reports_total: '{n} laporan untuk TPS ini',
    reports_ballot: '{n} tentang surat suara ini',
    reports_none: 'Belum ada laporan untuk TPS ini.',
    reports_recent: 'Laporan terbaru',
    reports_unavailable: 'Laporan tidak tersedia di sini.',
    report_button: 'Laporkan',
    report_intro:
      'Angka di situs berbeda dengan foto C1? Laporkan di sini, tanpa akun. Laporan bersifat publik; alamat IP Anda tidak diterbitkan.',
    report_ballot: 'Surat suara',
    report_field: 'Isian yang berbeda (opsional)',
    report_field_any: '— tidak tentu —',
    report_text: 'Apa yang berbeda?',
    report_text_count: '{n} / {max} karakter',
    report_send: 'Kirim laporan',
    report_sending: 'Mengirim…',
    report_sent: 'Terima kasih. Laporan #{id} tersimpan.',
    report_rate_limited: 'Terlalu banyak laporan. Coba lagi dalam {s} detik.',
    report_duplicate: 'Anda sudah mengirim laporan yang sama untuk TPS ini hari ini.',
    report_too_short: 'Jelaskan perbedaannya dengan sekurang-kurangnya {min} karakter.',
    report_too_long: 'Paling banyak {max} karakter.',
    report_control: 'Teks berisi karakter kontrol yang tidak diizinkan.',
    report_failed: 'Laporan tidak terkirim: {what}',
    report_fields: 'Isian',
  },
  en: {
    brand: 'Election Results',
    search_placeholder: 'Search a region or TPS code',
    loading: 'Loading…',
    footer: 'Every number is signed, recorded in a transparency log, and can be checked again.',
    open_data: 'Open data',
    log: 'Transparency log',
    od_intro: 'The numbers on this page are also published as files: download them, check them, count them again.',
    od_ballot_csv: '{ballot} CSV, one row per polling station',
    od_ballot_csv_what: 'Region codes and names, the numbers in force, the signer and the log entry number.',
    od_contest_csv: '{name} CSV, one row per polling station',
    od_contest_csv_what: 'Every field of the form, each candidate’s votes included.',
    od_columns: 'What each column means (CSV)',
    od_columns_what: 'The section, label, party and candidate of each number column.',
    od_cdf: 'NIST SP 1500-100 (CDF), JSON',
    od_cdf_what: 'The standard election results format, from the nation down to kecamatan.',
    od_sirekap: 'Sirekap-format JSON of this region',
    od_sirekap_what: 'For tools written for KPU’s Sirekap in 2024.',
    od_archives: 'Daily archives and signed SHA256SUMS',
    od_archives_what: 'Every day all the files are kept as they were; SHA256SUMS is signed with the transparency log’s key.',
    od_no_archive: 'No archive yet.',
    od_index: 'List of all files (JSON)',
    ballot_ppwp: 'President',
    ballot_pdpr: 'DPR',
    ballot_pdpd: 'DPD',
    ballot_pdprdp: 'Provincial DPRD',
    ballot_pdprdk: 'Regency/City DPRD',
    ballot_long_ppwp: 'Presidential and vice-presidential election',
    ballot_long_pdpr: 'House of Representatives (DPR)',
    ballot_long_pdpd: 'Regional Representative Council (DPD)',
    ballot_long_pdprdp: 'Provincial councils (DPRD Provinsi)',
    ballot_long_pdprdk: 'Regency and city councils (DPRD Kabupaten/Kota)',
    level_nasional: 'National',
    level_provinsi: 'Province',
    level_kabkota: 'Regency/City',
    level_kecamatan: 'District',
    level_kelurahan: 'Village',
    level_tps: 'Polling station',
    progress: 'Progress',
    progress_text: '{reported} of {total} polling stations ({pct})',
    updated: 'Last update',
    never: 'no data yet',
    valid_votes: 'Valid votes',
    invalid_votes: 'Invalid votes',
    registered: 'Registered voters (DPT)',
    voters: 'Voters',
    turnout: 'Turnout',
    votes: 'Votes',
    share: 'Share',
    candidate: 'Candidate',
    party: 'Party',
    region: 'Region',
    leading: 'Leading',
    children_of: 'By {level}',
    no_contest: 'This ballot is not contested in this region.',
    not_reported: 'not reported',
    not_found: 'Not found: {what}',
    load_failed: 'Could not load data ({what}). Please try again later.',
    dapil: 'Electoral district',
    dapil_list: 'Electoral districts in this region',
    dapil_below: 'Electoral districts and their seat projections are on each province’s page.',
    dapil_above: 'This region’s electoral district is larger than the region; see',
    seats: 'Seats',
    seats_n: '{n} seats',
    seat_projection: 'Seat projection',
    seat_note_dpr:
      'Sainte-Laguë (divisors 1, 3, 5, …) in each district, among parties with at least 4% of the national valid votes.',
    seat_note_dprd: 'Sainte-Laguë (divisors 1, 3, 5, …) in each district, without a threshold.',
    seat_note_dpd: 'The candidates with the most votes win the seats.',
    seat_scope: 'Counted over the {n} districts lying wholly in this region.',
    threshold: '4% threshold',
    below_threshold: 'below the threshold',
    national_share: 'National valid votes',
    elected: 'elected (projection)',
    party_only: 'Votes for the party only',
    party_total: 'Party total',
    whole_dapil: 'Whole district',
    covers: 'Regions',
    projection_caveat: 'A projection from the votes counted so far, not an official result.',
    tps_page: 'TPS {name}',
    dpt: 'Registered',
    men: 'men',
    women: 'women',
    total: 'total',
    status_reported: 'Reported',
    status_missing: 'Not reported',
    checked:
      'Passed the checks: vote sums, valid + invalid votes, ballot papers, and this polling station’s registered voters.',
    photos: 'Photos of the C1 form',
    no_photos: 'No photo (the numbers were sent without one).',
    photo_n: 'Page {n}',
    numbers: 'Numbers in force',
    section_administrasi: 'Voters and ballot papers',
    section_votes: 'Votes',
    section_totals: 'Totals',
    field: 'Field',
    value: 'Value',
    history: 'Version history',
    version: 'Version {rev}',
    type_result: 'result',
    type_correction: 'correction',
    state_current: 'in force',
    state_superseded: 'superseded',
    signed_by: 'Signed by',
    signer_kpps: 'this polling station’s KPPS',
    signer_ppk: 'the district’s PPK or the admin',
    signed_at: 'Signed at',
    received_at: 'Received by the server',
    reason: 'Reason for the correction',
    replaces: 'Replaces',
    changed: 'Changed',
    unchanged: 'Same numbers as the previous version',
    log_entry: 'Transparency log entry',
    log_index: 'Entry number',
    statement_id: 'Statement id',
    leaf_hash: 'Leaf hash',
    tree_size: 'Tree size',
    checkpoint: 'Signed checkpoint',
    proof_hashes: 'Inclusion proof ({n} hashes)',
    not_in_checkpoint: 'This entry is not in the latest checkpoint yet; try again shortly.',
    verify: 'Check the proof in the browser',
    verify_ok: 'OK: entry {index} is in the tree of {size} entries whose root the checkpoint states.',
    verify_fail: 'NOT OK: the inclusion proof does not give the checkpoint’s root.',
    verify_howto: 'Check everything yourself: rekap verify (see docs/log.md).',
    raw_json: 'TPS JSON',
    proof_json: 'Proof JSON',
    zoom_in: 'Zoom in',
    zoom_out: 'Zoom out',
    zoom_reset: 'Reset zoom',
    close: 'Close',
    open_photo: 'Open photo',
    search_tps: 'TPS {code}',
    search_code: 'Region code {code}',
    search_none: 'No results',
    search_short: 'Type at least 2 letters',
    reports: 'Citizens’ reports',
    reports_total: '{n} reports for this polling station',
    reports_ballot: '{n} about this ballot',
    reports_none: 'No reports for this polling station yet.',
    reports_recent: 'Latest reports',
    reports_unavailable: 'Reports are not available here.',
    report_button: 'Report',
    report_intro:
      'Do the numbers on this site differ from the C1 photo? Report it here, no account needed. Reports are public; your IP address is not published.',
    report_ballot: 'Ballot',
    report_field: 'Field that differs (optional)',
    report_field_any: '— not specific —',
    report_text: 'What differs?',
    report_text_count: '{n} / {max} characters',
    report_send: 'Send report',
    report_sending: 'Sending…',
    report_sent: 'Thank you. Report #{id} is stored.',
    report_rate_limited: 'Too many reports. Try again in {s} seconds.',
    report_duplicate: 'You have already sent this report for this polling station today.',
    report_too_short: 'Describe the difference in at least {min} characters.',
    report_too_long: 'At most {max} characters.',
    report_control: 'The text contains control characters, which are not allowed.',
    report_failed: 'The report was not sent: {what}',
    report_fields: 'Fields',
  },
};

// Field names of the C1 form other than votes, in English (Indonesian uses the form's own
// labels, sent by the server).
const fieldsEn = {
  pemilih_dpt: 'Registered voters (DPT)',
  pengguna_dpt: 'Voters on the DPT',
  pengguna_dptb: 'Voters on the additional list (DPTb)',
  pengguna_dpk: 'Voters on the special list (DPK)',
  pengguna_total: 'Total voters',
  disabilitas: 'Voters with disabilities',
  ss_diterima: 'Ballot papers received',
  ss_digunakan: 'Ballot papers used',
  ss_rusak: 'Ballot papers damaged or spoilt',
  ss_sisa: 'Ballot papers unused',
  suara_sah: 'Valid votes',
  suara_tidak_sah: 'Invalid votes',
  suara_total: 'Valid and invalid votes',
};
const sexEn = { l: 'men', p: 'women', j: 'total' };

let current = pick();

function pick() {
  let stored = null;
  try {
    stored = localStorage.getItem(KEY);
  } catch {
    // Storage may be blocked (private mode); Indonesian then.
  }
  return stored === 'en' ? 'en' : 'id';
}

export function lang() {
  return current;
}

export function setLang(l) {
  current = l === 'en' ? 'en' : 'id';
  try {
    localStorage.setItem(KEY, current);
  } catch {
    // Not remembered, still switched.
  }
  document.documentElement.lang = current;
}

export function t(key, vars = {}) {
  const text = dict[current][key] ?? dict.id[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_, k) => (k in vars ? String(vars[k]) : `{${k}}`));
}

// The label of an administrasi or totals field in the current language.
export function fieldLabel(name, serverLabel) {
  if (current === 'id') return serverLabel;
  if (fieldsEn[name]) return fieldsEn[name];
  const m = /^(.*)_([lpj])$/.exec(name);
  if (m && fieldsEn[m[1]]) return `${fieldsEn[m[1]]} (${sexEn[m[2]]})`;
  return serverLabel;
}

const locale = () => (current === 'en' ? 'en-GB' : 'id-ID');

export function fmtInt(n) {
  return n == null ? '–' : new Intl.NumberFormat(locale()).format(n);
}

export function fmtPct(part, whole) {
  if (!whole) return '–';
  return new Intl.NumberFormat(locale(), {
    style: 'percent',
    minimumFractionDigits: 2,
    maximumFractionDigits: 2,
  }).format(part / whole);
}

// Times are shown in WIB, the time zone the commission publishes in.
export function fmtTime(ms) {
  if (ms == null) return t('never');
  const text = new Intl.DateTimeFormat(locale(), {
    timeZone: 'Asia/Jakarta',
    dateStyle: 'medium',
    timeStyle: 'medium',
  }).format(new Date(ms));
  return `${text} WIB`;
}

// Fills the static page's texts (elements marked data-i18n, data-i18n-placeholder).
export function translatePage(root = document) {
  for (const el of root.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n);
  for (const el of root.querySelectorAll('[data-i18n-placeholder]')) {
    el.placeholder = t(el.dataset.i18nPlaceholder);
    el.setAttribute('aria-label', el.placeholder);
  }
}
