// The officer page's language: the engine (src/i18n/engine.js) with the officer's words
// (src/i18n/officer.js). Indonesian first, English on request, remembered on the device apart
// from the portal's choice.
import { createI18n } from '../i18n/engine.js';
import { strings } from '../i18n/officer.js';

export const { lang, setLang, t, locale } = createI18n({ strings, storageKey: 'rekap.petugas.lang' });
