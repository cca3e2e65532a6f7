// buildApp(deps): the one composition root (DESIGN.md). Tests call it with memory parts; src/main.ts
// with the configured adapters.
import { Hono } from 'hono';
import type { Authenticator } from './auth/authenticator.ts';
import { basicAuthCheck } from './auth/basic-auth.ts';
import { userDirectory } from './auth/user-directory.ts';
import type { UserStore } from './auth/user-store.ts';
import { type AggregateOptions, DEFAULT_AGGREGATE } from './backend/aggregate.ts';
import { type Mount, MountRouter } from './backend/mounts.ts';
import type { Backend } from './backend/port.ts';
import { caldavModule } from './caldav/module.ts';
import { carddavModule } from './carddav/module.ts';
import type { CoreHooks, Limits, Logger, UserDirectory } from './dav/context.ts';
import { Hrefs } from './dav/path.ts';
import { aclProperties } from './dav/props/acl.ts';
import { PropertyRegistry } from './dav/props/registry.ts';
import { syncProperties } from './dav/props/sync.ts';
import { webdavProperties } from './dav/props/webdav.ts';
import { principalPropertySearchReport, principalSearchPropertySetReport } from './dav/reports/principal-search.ts';
import { ReportRegistry } from './dav/reports/registry.ts';
import { syncCollectionReport } from './dav/reports/sync-collection.ts';
import { type DavServices, handleDav } from './http/dav-handler.ts';
import { edge } from './http/edge.ts';
import type { AppEnv } from './http/env.ts';
import { RequestMetrics } from './http/metrics.ts';
import { requestContext } from './http/request-context.ts';
import type { QuirkOverrides } from './quirks/detect.ts';
import { profileDetector } from './quirks/middleware.ts';
import type { QuirkProfile } from './quirks/profile.ts';
import { PROFILES } from './quirks/registry.ts';
import type { StateStore } from './state/store.ts';

export interface AppDeps {
  /** Public path prefix, e.g. '/dav' ('' to serve DAV at the host root). */
  prefix: string;
  /** The default backend of every home (where new collections are created). */
  backend: Backend;
  /** Further mounts that own fixed collections in homes (e.g. the LDAP directory address book). */
  mounts?: Mount[];
  users: UserStore;
  state: StateStore;
  log: Logger;
  limits?: Partial<Limits>;
  auth?: { realm?: string; cacheSeconds?: number };
  /** Client quirk profiles in matching order (default: every built-in profile, src/quirks/registry.ts). */
  profiles?: QuirkProfile[];
  quirkOverrides?: QuirkOverrides;
  /** Checks passwords instead of the user store (LDAP bind authentication). */
  authenticator?: Authenticator;
  /** The principals' directory instead of the user store (directory users). */
  directory?: UserDirectory;
  /** The aggregated address book for clients whose profile asks for one (quirks Q22). */
  aggregatedAddressBook?: Partial<AggregateOptions>;
  /** Request counters per profile served on /metrics (a fresh set when absent). */
  metrics?: RequestMetrics;
  /** Readiness of dependencies for /readyz (backend, state store). */
  ready?: () => Promise<boolean>;
}

export const DEFAULT_LIMITS: Limits = {
  maxResourceSize: 5 * 1024 * 1024,
  maxBodySize: 20 * 1024 * 1024,
  maxMultigetHrefs: 50_000,
};

export function buildServices(deps: AppDeps): DavServices {
  const props = new PropertyRegistry().register(
    ...webdavProperties,
    ...aclProperties,
    ...syncProperties,
    ...caldavModule.properties,
    ...carddavModule.properties,
  );
  const reports = new ReportRegistry().register(
    syncCollectionReport,
    principalPropertySearchReport,
    principalSearchPropertySetReport,
    ...caldavModule.reports,
    ...carddavModule.reports,
  );
  const hooks: CoreHooks = {
    validators: { calendar: caldavModule.validate, addressbook: carddavModule.validate },
    contentTypes: { calendar: 'text/calendar; charset=utf-8', addressbook: 'text/vcard; charset=utf-8' },
    contentTypeChecks: { calendar: caldavModule.checkContentType, addressbook: carddavModule.checkContentType },
    parseMkcalendar: caldavModule.parseMkcalendar,
    uidConflict: { calendar: caldavModule.uidConflict, addressbook: carddavModule.uidConflict },
    represent: { addressbook: carddavModule.represent, calendar: caldavModule.represent },
    finish: { calendar: caldavModule.finish },
  };
  return {
    hrefs: new Hrefs(deps.prefix),
    backends: new MountRouter([{ id: 'default', backend: deps.backend }, ...(deps.mounts ?? [])]),
    users: deps.directory ?? userDirectory(deps.users),
    state: deps.state,
    props,
    reports,
    hooks,
    limits: { ...DEFAULT_LIMITS, ...deps.limits },
    log: deps.log,
    aggregate: { ...DEFAULT_AGGREGATE, ...deps.aggregatedAddressBook },
  };
}

export function buildApp(deps: AppDeps): Hono<AppEnv> {
  const svc = buildServices(deps);
  const prefix = svc.hrefs.prefix;
  const app = new Hono<AppEnv>();
  app.use('*', requestContext(deps.log));
  app.get('/healthz', (c) => c.text('ok\n'));
  app.get('/readyz', async (c) => {
    const ok = (await deps.state.ping()) && (deps.ready ? await deps.ready() : true);
    return c.text(ok ? 'ready\n' : 'not ready\n', ok ? 200 : 503);
  });
  const metrics = deps.metrics ?? new RequestMetrics();
  app.get('/metrics', (c) => c.text(metrics.render(), 200, { 'Content-Type': 'text/plain; version=0.0.4' }));
  const auth = basicAuthCheck({
    users: deps.users,
    ...(deps.authenticator ? { authenticator: deps.authenticator } : {}),
    realm: deps.auth?.realm ?? 'davgate',
    cacheSeconds: deps.auth?.cacheSeconds ?? 300,
  });
  const detect = profileDetector(deps.profiles ?? [...PROFILES], deps.quirkOverrides);
  app.use('*', edge(metrics, detect, auth));

  // RFC 6764 §5: well-known URIs redirect to the context path; PROPFIND there (and on "/") is
  // answered directly because some clients do not follow redirects for PROPFIND.
  // Windows 10 Mobile probes the well-known URIs with a trailing slash (quirks Q01).
  for (const wk of ['/.well-known/caldav', '/.well-known/carddav', '/.well-known/caldav/', '/.well-known/carddav/']) {
    app.all(wk, async (c): Promise<Response> => {
      if (c.req.method === 'PROPFIND') return handleDav(c, svc, { type: 'root' });
      return c.redirect(`${prefix}/`, 301);
    });
  }
  if (prefix !== '') {
    app.all('/', async (c): Promise<Response> => {
      if (c.req.method === 'PROPFIND' || c.req.method === 'OPTIONS') return handleDav(c, svc, { type: 'root' });
      return c.redirect(`${prefix}/`, 302);
    });
    // quirks Q01: Apple account setup that did not follow the well-known redirect probes /principals/
    // and Google-style paths, Windows probes /caldav/v2/ and /calendar/dav/: PROPFIND there is
    // answered like the root (current-user-principal), so discovery continues.
    for (const probe of ['/principals', '/principals/*', '/calendar/dav/*', '/caldav/v2', '/caldav/v2/*']) {
      app.on('PROPFIND', probe, (c) => handleDav(c, svc, { type: 'root' }));
    }
  }
  app.all('*', (c) => handleDav(c, svc));
  return app;
}
