// The RFC 4515 filters that select a user's view of the directory: the configured people filter
// plus the per-user part (expanded from the user's own entry, cached briefly, fail closed), the
// group filter, and the assertion that finds an entry by its id (AD GUIDs as escaped bytes).
import type { LdapConnections, LdapEntry, SearchLimits } from './connection.ts';
import { EntryView, guidToBytes } from './entry-vcard.ts';
import { and, escapeFilterBytes, escapeFilterValue, NOTHING, normalizeFilter } from './filter.ts';
import { isActiveDirectoryId, type LdapDirectoryOptions } from './options.ts';

/** How long a user's expanded per-user filter is kept. */
const USER_FILTER_TTL_MS = 60_000;

export class ViewFilters {
  readonly #conn: LdapConnections;
  readonly #opts: LdapDirectoryOptions;
  readonly #limits: SearchLimits;
  readonly #userFilters = new Map<string, { filter: string; at: number }>();

  constructor(conn: LdapConnections, opts: LdapDirectoryOptions, limits: SearchLimits) {
    this.#conn = conn;
    this.#opts = opts;
    this.#limits = limits;
  }

  /** The per-user part of the people filter ('' when none is configured). */
  async #userPart(owner: string): Promise<string> {
    const template = this.#opts.perUserFilter;
    if (!template) return '';
    const cached = this.#userFilters.get(owner);
    if (cached && Date.now() - cached.at < USER_FILTER_TTL_MS) return cached.filter;
    let entry: EntryView | undefined;
    const attrs = [...template.matchAll(/\{attr:([A-Za-z0-9-]+)\}/g)].map((m) => m[1]);
    if (attrs.length) {
      const found = await this.findUser(owner, attrs);
      entry = found ? new EntryView(found) : undefined;
    }
    let missing = false;
    const expanded = template.replace(/\{user\}|\{attr:([A-Za-z0-9-]+)\}/g, (_m, attr: string | undefined) => {
      if (!attr) return escapeFilterValue(owner);
      const v = entry?.first([attr]);
      if (!v) missing = true;
      return escapeFilterValue(v ?? '');
    });
    // Fail closed: a user whose entry lacks what the filter needs sees nothing.
    const filter = missing ? NOTHING : normalizeFilter(expanded);
    this.#userFilters.set(owner, { filter, at: Date.now() });
    return filter;
  }

  /** The entry of a DAV user (users.filter with `{user}`), or undefined unless exactly one matches. */
  async findUser(user: string, attributes: string[] = ['1.1']): Promise<LdapEntry | undefined> {
    const u = this.#opts.users;
    const filter = normalizeFilter(u.filter.replaceAll('{user}', escapeFilterValue(user)));
    const found = await this.#conn.searchAll(
      { base: u.baseDn, scope: u.scope, filter, attributes },
      { ...this.#limits, partition: undefined },
    );
    return found.length === 1 ? found[0] : undefined;
  }

  /** The people filter of `owner`'s view, and-ed with `extra`. */
  async people(owner: string, extra: string[] = []): Promise<string> {
    return and([normalizeFilter(this.#opts.peopleFilter), await this.#userPart(owner), ...extra]);
  }

  /** The group filter, and-ed with `extra`. */
  group(extra: string[] = []): string {
    return and([normalizeFilter(this.#opts.groups.filter), ...extra]);
  }

  /** An equality assertion selecting the entry with this id. */
  idAssertion(id: string): string {
    const attr = this.#opts.idAttribute;
    if (isActiveDirectoryId(attr)) {
      const bytes = guidToBytes(id);
      return bytes ? `(${attr}=${escapeFilterBytes(bytes)})` : NOTHING;
    }
    return `(${attr}=${escapeFilterValue(id)})`;
  }
}
