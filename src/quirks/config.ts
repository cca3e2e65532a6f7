// The `quirks` configuration section → the profiles and overrides buildApp takes (src/app.ts).
// Built-in profiles keep their order; operator patterns are tried before built-in ones, so a
// configured pattern can claim an agent another profile would have matched.
import type { AppDeps } from '../app.ts';
import type { QuirksConfig } from '../config/quirks-schema.ts';
import type { QuirkOverrides } from './detect.ts';
import type { QuirkOptions, QuirkProfile } from './profile.ts';
import { PROFILES } from './registry.ts';

const NEVER = /(?!)/;

/** Drops options the configuration left unset, so they do not erase a profile's own. */
function defined(o: QuirkOptions): QuirkOptions {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as QuirkOptions;
}

export function quirkDepsFrom(
  cfg: QuirksConfig,
  builtIn: readonly QuirkProfile[] = PROFILES,
): Pick<AppDeps, 'profiles' | 'quirkOverrides' | 'aggregatedAddressBook'> {
  if (!cfg.enabled) return { profiles: [], quirkOverrides: {}, aggregatedAddressBook: cfg.aggregatedAddressBook };
  const byId = new Map(cfg.profiles.map((p) => [p.id, p]));
  const profiles = builtIn
    .filter((p) => byId.get(p.id)?.enabled !== false)
    .map((p) => {
      const c = byId.get(p.id);
      if (!c) return p;
      // A replaced matcher never matches by itself; the configured patterns (extraMatchers) do.
      return { ...p, ...(c.builtInMatch ? {} : { match: NEVER }), options: { ...p.options, ...defined(c.options) } };
    });
  const extraMatchers: Record<string, RegExp[]> = {};
  for (const p of cfg.profiles) if (p.match.length) extraMatchers[p.id] = p.match.map((m) => new RegExp(m));
  const quirkOverrides: QuirkOverrides = {
    extraMatchers,
    forcePaths: cfg.forcePaths.map((f) => ({ pathPrefix: f.pathPrefix, profiles: [f.profile] })),
    rules: cfg.rules.map((r) => ({ match: new RegExp(r.userAgent), options: defined(r.options) })),
  };
  return { profiles, quirkOverrides, aggregatedAddressBook: cfg.aggregatedAddressBook };
}
