// The portal's language: the engine (src/i18n/engine.js) with the portal's words
// (src/i18n/portal.js). Indonesian first, English on request; the choice is remembered in
// localStorage.
import { createI18n } from './i18n/engine.js';
import { fieldsEn, sexEn, strings } from './i18n/portal.js';

const i18n = createI18n({ strings, storageKey: 'rekap.lang' });

export const { lang, setLang, t, fmtInt, fmtPct } = i18n;

// Times are shown in WIB, the time zone the commission publishes in; no time yet, `never`.
export function fmtTime(ms) {
  return ms == null ? t('never') : i18n.fmtTime(ms);
}

// The label of an administrasi or totals field in the current language.
export function fieldLabel(name, serverLabel) {
  if (lang() === 'id') return serverLabel;
  if (fieldsEn[name]) return fieldsEn[name];
  const m = /^(.*)_([lpj])$/.exec(name);
  if (m && fieldsEn[m[1]]) return `${fieldsEn[m[1]]} (${sexEn[m[2]]})`;
  return serverLabel;
}

// Fills the static page's texts (elements marked data-i18n, data-i18n-placeholder).
export function translatePage(root = document) {
  for (const el of root.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n);
  for (const el of root.querySelectorAll('[data-i18n-placeholder]')) {
    el.placeholder = t(el.dataset.i18nPlaceholder);
    el.setAttribute('aria-label', el.placeholder);
  }
}
