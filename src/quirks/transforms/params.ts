// Parameter access on one content line's parameter text (`;A=b;C="d:e"`), RFC 5545 §3.2.

/** Splits `;A=b;C="x;y"` into [name, value] pairs (names upper-cased, quotes kept on values). */
export function parseParams(params: string): [string, string][] {
  const out: [string, string][] = [];
  let i = 0;
  while (i < params.length) {
    if (params[i] !== ';') break;
    let j = i + 1;
    let quoted = false;
    while (j < params.length && (quoted || params[j] !== ';')) {
      if (params[j] === '"') quoted = !quoted;
      j++;
    }
    const part = params.slice(i + 1, j);
    const eq = part.indexOf('=');
    out.push(eq < 0 ? [part.toUpperCase(), ''] : [part.slice(0, eq).toUpperCase(), part.slice(eq + 1)]);
    i = j;
  }
  return out;
}

export function formatParams(pairs: [string, string][]): string {
  return pairs.map(([k, v]) => `;${k}=${v}`).join('');
}

/** The unquoted value of a parameter, or undefined. */
export function getParam(params: string, name: string): string | undefined {
  const v = parseParams(params).find(([k]) => k === name.toUpperCase())?.[1];
  return v === undefined ? undefined : v.replace(/^"(.*)"$/, '$1');
}

/** Sets (or, with undefined, removes) a parameter, keeping the others in order. */
export function setParam(params: string, name: string, value: string | undefined): string {
  const n = name.toUpperCase();
  const pairs = parseParams(params);
  const at = pairs.findIndex(([k]) => k === n);
  if (value === undefined) {
    if (at >= 0) pairs.splice(at, 1);
  } else if (at >= 0) pairs[at] = [n, value];
  else pairs.push([n, value]);
  return formatParams(pairs);
}
