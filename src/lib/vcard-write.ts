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

/** Folds a line at 75 octets (RFC 6350 §3.2), continuation lines starting with one space. */
export function fold(line: string): string {
  if (Buffer.byteLength(line, 'utf8') <= 75) return line;
  const parts: string[] = [];
  let current = '';
  let bytes = 0;
  let limit = 75;
  for (const ch of line) {
    const n = Buffer.byteLength(ch, 'utf8');
    if (bytes + n > limit) {
      parts.push(current);
      current = '';
      bytes = 0;
      limit = 74; // the leading space of a continuation counts
    }
    current += ch;
    bytes += n;
  }
  parts.push(current);
  return parts.join('\r\n ');
}

/** Joins content lines into a vCard body: folded, CRLF-terminated. */
export function vcardText(lines: string[]): string {
  return `${lines.map(fold).join('\r\n')}\r\n`;
}
