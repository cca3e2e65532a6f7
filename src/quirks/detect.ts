// User-Agent → active quirk profiles. First the operator's forced profiles for a path, then every
// profile whose matcher hits, in the declared order. The only module that reads the User-Agent.
import type { QuirkOptions, QuirkProfile } from './profile.ts';

export interface QuirkOverrides {
  /** Extra User-Agent patterns per profile id. */
  extraMatchers?: Record<string, RegExp[]>;
  /** Force profiles for request paths starting with a prefix. */
  forcePaths?: { pathPrefix: string; profiles: string[] }[];
}

export function detectProfiles(
  userAgent: string,
  path: string,
  profiles: QuirkProfile[],
  overrides: QuirkOverrides = {},
): QuirkProfile[] {
  const forced = new Set(
    (overrides.forcePaths ?? []).filter((f) => path.startsWith(f.pathPrefix)).flatMap((f) => f.profiles),
  );
  return profiles.filter(
    (p) =>
      forced.has(p.id) ||
      p.match.test(userAgent) ||
      (overrides.extraMatchers?.[p.id] ?? []).some((m) => m.test(userAgent)),
  );
}

/** Later profiles override earlier ones option by option. */
export function mergeOptions(active: QuirkProfile[]): QuirkOptions {
  return Object.assign({}, ...active.map((p) => p.options)) as QuirkOptions;
}
