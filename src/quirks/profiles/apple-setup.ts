// Apple account setup (Settings/System Settings: accountsd, Preferences): discovery only. It may not
// follow a redirect of /.well-known/* and probes /, /principals/ and Google-style paths instead
// (quirks Q01); the core answers PROPFIND there for everyone, so the profile only names the client.
import type { QuirkProfile } from '../profile.ts';

export const appleSetup: QuirkProfile = {
  id: 'apple-setup',
  description:
    'Apple account setup (accountsd, iOS Settings "Preferences"): discovery only; no deviation needed, ' +
    'since PROPFIND on /.well-known/*, / and /principals/ is answered directly for every client',
  evidence: [
    'quirks Q01: macOS 26.1 accountsd does not follow the 301 on /.well-known/caldav, probes / → /principals/ → /calendar/dav/<user>/user/ (nextcloud/documentation#13945)',
    'quirks Q01: same fallback list from iOS 14.8.1 accountsd (sabre-io/Baikal#1030)',
  ],
  match: /accountsd\/|Preferences\/1\.0/,
  version: /^(?:iOS|macOS)\/([\d.]+)/,
  options: {},
};
