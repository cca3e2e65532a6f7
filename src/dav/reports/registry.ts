// Report registry (DESIGN.md §Central interfaces 4): REPORT dispatches on the root element's Clark
// name; an unknown or inapplicable report is 403 supported-report (RFC 3253 §3.6).
import type { DavContext } from '../context.ts';
import type { Resource } from '../resource.ts';
import type { DavResponse } from '../response.ts';
import type { ClarkName } from '../xml/names.ts';
import type { XmlElement } from '../xml/tree.ts';

export interface ReportHandler<Q = unknown> {
  name: ClarkName;
  /** Whether the report is supported on this resource (also drives supported-report-set). */
  appliesTo(res: Resource): boolean;
  /** Parses and validates the request body; throws DavError(400/403 + precondition) on bad input. */
  parse(ctx: DavContext, body: XmlElement): Q;
  run(ctx: DavContext, target: Resource, query: Q): Promise<DavResponse>;
}

export class ReportRegistry {
  private readonly handlers = new Map<string, ReportHandler>();

  register(...handlers: ReportHandler<unknown>[]): this {
    for (const h of handlers) this.handlers.set(h.name, h);
    return this;
  }

  get(name: string): ReportHandler | undefined {
    return this.handlers.get(name);
  }

  supportedOn(res: Resource): ClarkName[] {
    return [...this.handlers.values()].filter((h) => h.appliesTo(res)).map((h) => h.name);
  }
}
