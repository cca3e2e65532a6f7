// Property registry (DESIGN.md §Central interfaces 3): one PropertyDef per property, keyed by Clark
// name. PROPFIND computes only what was asked; allprop/propname use `allprop` and `appliesTo`.
import type { CollectionPatch } from '../../backend/types.ts';
import type { DavContext } from '../context.ts';
import type { Resource } from '../resource.ts';
import type { ClarkName } from '../xml/names.ts';
import type { XmlElement, XmlNode } from '../xml/tree.ts';

export interface PropertyDef {
  name: ClarkName;
  /** Live and not settable: PROPPATCH gets 403 cannot-modify-protected-property. */
  protected: boolean;
  /** Returned for `<allprop/>` (RFC 4918 §9.1: expensive/large live props are left out). */
  allprop: boolean;
  /** Whether the property exists on this kind of resource (propname/allprop and 404 otherwise). */
  appliesTo(res: Resource): boolean;
  /** The object body must be loaded before `get` (object resources only); a function decides per resource. */
  needsBody?: boolean | ((res: Resource) => boolean);
  /**
   * Value as children of the property element, or undefined when the resource has no value (404
   * in the propstat). `requested` is the element from the request (carries parameters such as
   * calendar-data's comp/expand).
   */
  get(ctx: DavContext, res: Resource, requested: XmlElement): Promise<XmlNode[] | undefined> | XmlNode[] | undefined;
  /**
   * A fast path tried before `get`: the value as character data in UTF-8 bytes (valid UTF-8, no
   * BOM: they are written as they are, XmlElement.bytes), or undefined to use `get`. For bodies
   * served as stored: a multiget of thousands of them is then never decoded and re-encoded.
   */
  getBytes?(ctx: DavContext, res: Resource, requested: XmlElement): Uint8Array | undefined;
  /**
   * For settable live properties of collections: translate a set (value) or remove (null) into a
   * collection patch. Throw DavError (e.g. 409/403 with a precondition) for invalid values.
   */
  toPatch?(ctx: DavContext, res: Resource, value: XmlElement | null): CollectionPatch;
}

export class PropertyRegistry {
  private readonly defs = new Map<string, PropertyDef>();

  register(...defs: PropertyDef[]): this {
    for (const d of defs) this.defs.set(d.name, d);
    return this;
  }

  get(name: string): PropertyDef | undefined {
    return this.defs.get(name);
  }

  /** Live properties that exist on this resource. */
  applicable(res: Resource): PropertyDef[] {
    return [...this.defs.values()].filter((d) => d.appliesTo(res));
  }
}
