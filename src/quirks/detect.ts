// User-Agent → active quirk profiles (quirks.md §0). The client profile is the first in the declared
// order whose matcher hits (operator patterns before built-in ones, so configuration can reclassify
// a client); a path the operator forces a profile for takes that profile instead. Operator rules then
// add options for matching agents. The only module that reads the User-Agent.
import type { QuirkOptions, QuirkProfile } from './profile.ts';

export interface QuirkOverrides {
  /** Extra User-Agent patterns per profile id; they are tried before every built-in pattern. */
  extraMatchers?: Record<string, RegExp[]>;
  /** Force profiles for request paths starting with a prefix, whatever the User-Agent says. */
  forcePaths?: { pathPrefix: string; profiles: string[] }[];
  /** Agents that get extra options whatever profile matched (e.g. the aggregated address book). */
  rules?: { match: RegExp; options: QuirkOptions }[];
}

/** The client a User-Agent names: its profile and version, or undefined for an unknown agent. */
export interface ClientMatch {
  profile: QuirkProfile;
  version: string | undefined;
}

/** First profile (in order) whose operator or built-in pattern matches. */
export function classify(
  userAgent: string,
  profiles: QuirkProfile[],
  extraMatchers: QuirkOverrides['extraMatchers'] = {},
): ClientMatch | undefined {
  const profile =
    profiles.find((p) => (extraMatchers[p.id] ?? []).some((m) => m.test(userAgent))) ??
    profiles.find((p) => p.match.test(userAgent));
  if (!profile) return undefined;
  return {
    profile,
    version: profile.version
      ?.exec(userAgent)
      ?.slice(1)
      .find((v) => v !== undefined),
  };
}

/** A pseudo-profile carrying the options of an operator rule (recorded like any profile). */
function ruleProfile(rule: { match: RegExp; options: QuirkOptions }, index: number): QuirkProfile {
  return {
    id: `rule-${index + 1}`,
    description: `operator rule ${index + 1} (quirks.rules in the configuration)`,
    evidence: ['configuration'],
    match: rule.match,
    options: rule.options,
  };
}

export function detectProfiles(
  userAgent: string,
  path: string,
  profiles: QuirkProfile[],
  overrides: QuirkOverrides = {},
): QuirkProfile[] {
  const forcedIds = (overrides.forcePaths ?? [])
    .filter((f) => path.startsWith(f.pathPrefix))
    .flatMap((f) => f.profiles);
  const forced = profiles.filter((p) => forcedIds.includes(p.id));
  const active = forced.length > 0 ? forced : [classify(userAgent, profiles, overrides.extraMatchers)?.profile];
  const rules = (overrides.rules ?? []).map(ruleProfile).filter((r) => r.match.test(userAgent));
  return [...active, ...rules].filter((p): p is QuirkProfile => p !== undefined);
}

/** Later profiles override earlier ones option by option. */
export function mergeOptions(active: QuirkProfile[]): QuirkOptions {
  return Object.assign({}, ...active.map((p) => p.options)) as QuirkOptions;
}
