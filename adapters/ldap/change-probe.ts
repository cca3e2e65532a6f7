// The server's change marker (contextCSN of the naming context, or AD highestCommittedUSN), so an
// unchanged directory is not listed again. Detected once per backend (options.changeProbe); any
// failure means "unknown" and the caller lists instead.
import type { LdapConnections, LdapLogger } from './connection.ts';
import { EntryView, normalizeDn } from './entry-vcard.ts';
import type { LdapDirectoryOptions } from './options.ts';

export class ChangeProbe {
  readonly #conn: LdapConnections;
  readonly #opts: LdapDirectoryOptions;
  readonly #log: LdapLogger | undefined;
  #probeKind: 'contextCSN' | 'highestCommittedUSN' | 'none' | undefined;
  #probeBase: string | undefined;

  constructor(conn: LdapConnections, opts: LdapDirectoryOptions, log: LdapLogger | undefined) {
    this.#conn = conn;
    this.#opts = opts;
    this.#log = log;
  }

  /** Reads the server's change marker, if it has one (see ChangeProbe). */
  async read(): Promise<string | undefined> {
    try {
      if (this.#probeKind === undefined) {
        const wanted = this.#opts.changeProbe;
        this.#probeKind = 'none';
        if (wanted !== 'none') {
          const root = await this.#conn.read('', ['namingContexts', 'highestCommittedUSN']);
          const view = root ? new EntryView(root) : undefined;
          const base = normalizeDn(this.#opts.baseDn);
          const context = view
            ?.texts(['namingContexts'])
            .find((nc) => base === normalizeDn(nc) || base.endsWith(`,${normalizeDn(nc)}`));
          if ((wanted === 'auto' || wanted === 'contextCSN') && context) {
            const ctx = await this.#conn.read(context, ['contextCSN']);
            if (ctx && new EntryView(ctx).has('contextCSN')) {
              this.#probeKind = 'contextCSN';
              this.#probeBase = context;
            }
          }
          if (this.#probeKind === 'none' && (wanted === 'auto' || wanted === 'highestCommittedUSN')) {
            if (view?.has('highestCommittedUSN')) this.#probeKind = 'highestCommittedUSN';
          }
          this.#log?.debug('LDAP change probe', { kind: this.#probeKind });
        }
      }
      if (this.#probeKind === 'contextCSN' && this.#probeBase !== undefined) {
        const e = await this.#conn.read(this.#probeBase, ['contextCSN']);
        return e ? new EntryView(e).texts(['contextCSN']).sort().join(',') : undefined;
      }
      if (this.#probeKind === 'highestCommittedUSN') {
        const e = await this.#conn.read('', ['highestCommittedUSN']);
        return e ? new EntryView(e).first(['highestCommittedUSN']) : undefined;
      }
    } catch (e) {
      this.#log?.warn('LDAP change probe failed; listing instead', { error: String(e) });
    }
    return undefined;
  }
}
