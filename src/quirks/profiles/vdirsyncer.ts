// vdirsyncer (and khal/khard on top of it): quirks §0 row 11, Q07, Q14.
import type { QuirkProfile } from '../profile.ts';

export const vdirsyncer: QuirkProfile = {
  id: 'vdirsyncer',
  description:
    'vdirsyncer: standard behaviour. What it needs (one response per href, getetag on every member, ' +
    'text/calendar and text/vcard content types) is core behaviour for every client',
  evidence: [
    'quirks §0 row 11: USERAGENT = f"vdirsyncer/{__version__}" (pimutils/vdirsyncer vdirsyncer/http.py)',
    'quirks Q07: skips duplicate hrefs and responses without getetag (vdirsyncer/storage/dav.py _parse_prop_responses)',
  ],
  match: /^vdirsyncer\//,
  version: /^vdirsyncer\/([\w.+-]+)/,
  options: {},
};
