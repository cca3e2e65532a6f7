// Writing vCard content lines (RFC 6350 §3.3–3.4, RFC 2426 §4): value escaping, parameter quoting
// (RFC 6868 caret encoding) and folding at 75 octets without splitting a UTF-8 sequence. A pure helper
// for code that builds or rewrites cards (the LDAP adapter, src/carddav conversion); parsing stays
// with ical.js.

/** Escapes a TEXT value component: backslash, comma, semicolon and line breaks. */
export function escapeText(value: string): string {
  return value.replace(/[\\,;]/g, (c) => `\\${c}`).replace(/\r\n|\r|\n/g, '\\n');
}

/** A structured value (N, ADR, ORG): components escaped and joined by `;`, list items inside by `,`. */
export function structured(components: (string | string[])[]): string {
  return components.map((c) => (Array.isArray(c) ? c.map(escapeText).join(',') : escapeText(c))).join(';');
}

/** A parameter value: quoted when it holds `:`, `;` or `,`; `^`, `"` and newlines caret-encoded (RFC 6868). */
export function paramValue(value: string): string {
  const encoded = value
    .replace(/\^/g, '^^')
    .replace(/"/g, "^'")
    .replace(/\r\n|\r|\n/g, '^n');
  return /[:;,]/.test(encoded) ? `"${encoded}"` : encoded;
}

export type Params = Record<string, string | string[] | undefined>;

/** `[group.]NAME;PARAM=v1,v2:value` without folding; `value` must already be escaped as its type needs. */
export function contentLine(name: string, params: Params, value: string, group?: string): string {
  let line = group ? `${group}.${name}` : name;
  for (const [k, v] of Object.entries(params)) {
    if (v === undefined) continue;
    const values = Array.isArray(v) ? v : [v];
    if (values.length === 0) continue;
    line += `;${k.toUpperCase()}=${values.map(paramValue).join(',')}`;
  }
  return `${line}:${value}`;
}

/**
 * Folds a content line at 75 octets (RFC 5545 §3.1, RFC 6350 §3.2) without splitting a UTF-8 sequence;
 * continuation lines start with one space, which counts toward their 75.
 */
export function fold(line: string): string {
  const bytes = Buffer.from(line, 'utf8');
  if (bytes.length <= 75) return line;
  const parts: string[] = [];
  let start = 0;
  let limit = 75;
  while (start < bytes.length) {
    let end = Math.min(start + limit, bytes.length);
    while (end < bytes.length && (bytes[end] & 0xc0) === 0x80) end--; // back off to a character boundary
    parts.push(bytes.subarray(start, end).toString('utf8'));
    start = end;
    limit = 74;
  }
  return parts.join('\r\n ');
}

/** Joins content lines into a vCard body: folded, CRLF-terminated. */
export function vcardText(lines: string[]): string {
  return `${lines.map(fold).join('\r\n')}\r\n`;
}
