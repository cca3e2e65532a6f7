// Fantastical for Mac with its own CalDAV accounts: quirks §0 row 10.
import type { QuirkProfile } from '../profile.ts';

export const fantastical: QuirkProfile = {
  id: 'fantastical',
  description:
    'Fantastical for Mac: standard behaviour; recognised so logs and metrics name it and so its "Mac OS X/… Darwin/…" ' +
    'agent is not taken for macOS Contacts. The reference names no deviation the core does not already cover',
  evidence: [
    'quirks §2: "Fantastical 2 for Mac/2.2.4 Mac OS X/10.11.5", "Fantastical 2 for Mac (Calendar)/3.3.4 Mac OS X/11.2.1 Darwin/20.3.0 (x86_64)" (tine20 Fantastical.php)',
  ],
  match: /Fantastical \d for Mac/,
  version: /Fantastical \d for Mac(?: \([^)]*\))?\/([\d.]+)/,
  options: {},
};
