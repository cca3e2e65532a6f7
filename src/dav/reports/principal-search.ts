// RFC 3744 §9.4 principal-property-search and §9.5 principal-search-property-set, limited to the
// requesting user's own principal (one user never discovers another unless shared).
import { DavError } from '../dav-error.ts';
import { multistatus } from '../multistatus.ts';
import { renderResponses } from '../props/render.ts';
import type { Resource } from '../resource.ts';
import type { ClarkName } from '../xml/names.ts';
import { caldav, dav } from '../xml/names.ts';
import { child, childrenNamed, el, elements, textOf } from '../xml/tree.ts';
import type { ReportHandler } from './registry.ts';

const SEARCHABLE: { name: ClarkName; description: string }[] = [
  { name: dav('displayname'), description: 'Display name' },
  { name: caldav('calendar-user-address-set'), description: 'Calendar user address' },
];

const onPrincipals = (r: Resource): boolean =>
  r.type === 'principals' || r.type === 'principal' || r.type === 'root' || r.type === 'home';

interface SearchQuery {
  anyof: boolean;
  terms: { props: ClarkName[]; match: string }[];
  props: ReturnType<typeof elements>;
}

export const principalPropertySearchReport: ReportHandler<SearchQuery> = {
  name: dav('principal-property-search'),
  appliesTo: onPrincipals,
  parse(_ctx, body) {
    const terms = childrenNamed(body, dav('property-search')).map((ps) => ({
      props: elements(child(ps, dav('prop')) ?? el(dav('prop'))).map((p) => p.name),
      match: textOf(child(ps, dav('match')) ?? el(dav('match'))),
    }));
    if (terms.length === 0) throw new DavError(400, undefined, 'property-search required');
    const prop = child(body, dav('prop'));
    return { anyof: body.attrs['{}test'] === 'anyof', terms, props: prop ? elements(prop) : [] };
  },
  async run(ctx, _target, q) {
    const values: Record<string, string[]> = {
      [dav('displayname')]: [await ctx.users.displayName(ctx.user), ctx.user],
      [caldav('calendar-user-address-set')]: await ctx.users.addresses(ctx.user),
    };
    const hit = (t: SearchQuery['terms'][number]): boolean =>
      t.props.some((p) => (values[p] ?? []).some((v) => v.toLowerCase().includes(t.match.toLowerCase())));
    const matches = q.anyof ? q.terms.some(hit) : q.terms.every(hit);
    const principal: Resource = { type: 'principal', user: ctx.user };
    const responses = matches ? await renderResponses(ctx, [principal], { kind: 'prop', props: q.props }) : [];
    return multistatus(responses);
  },
};

export const principalSearchPropertySetReport: ReportHandler<null> = {
  name: dav('principal-search-property-set'),
  appliesTo: onPrincipals,
  parse: () => null,
  async run() {
    const body = el(
      dav('principal-search-property-set'),
      SEARCHABLE.map((s) =>
        el(dav('principal-search-property'), [
          el(dav('prop'), [el(s.name)]),
          el(dav('description'), [s.description], { '{http://www.w3.org/XML/1998/namespace}lang': 'en' }),
        ]),
      ),
    );
    return { status: 200, body };
  },
};
