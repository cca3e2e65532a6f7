// What the CardDAV module plugs into the WebDAV core (wired in src/app.ts).
import type { ProtocolModule } from '../caldav/module.ts';

export const carddavModule: ProtocolModule = {
  properties: [],
  reports: [],
};
