// Small helpers for profile payload hooks: iCalendar (RFC 5545 §3.1) and vCard (RFC 6350 §3.2) text
// as unfolded content lines. A hook that changes nothing must return the text it got (byte-identical),
// so the core keeps the ETag; `editLines` guarantees that.
import { fold } from '../lib/vcard-write.ts';

export { fold };

/** Unfolds content lines (CRLF, LF or CR line ends; continuation lines start with space or tab). */
export function unfold(text: string): string[] {
  const lines = text
    .replace(/\r\n|\r/g, '\n')
    .replace(/\n[ \t]/g, '')
    .split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** Joins content lines with CRLF, folding long ones. */
export function serialise(lines: string[]): string {
  return `${lines.map(fold).join('\r\n')}\r\n`;
}

/** Splits `NAME;PARAMS:value` (group prefix kept in `name`); quoted parameter values may hold `:`. */
export function splitLine(line: string): { name: string; params: string; value: string } {
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === '"') quoted = !quoted;
    else if (c === ':' && !quoted) {
      const head = line.slice(0, i);
      const semi = head.indexOf(';');
      return semi < 0
        ? { name: head, params: '', value: line.slice(i + 1) }
        : { name: head.slice(0, semi), params: head.slice(semi), value: line.slice(i + 1) };
    }
  }
  return { name: line, params: '', value: '' };
}

/** Upper-case property name without a vCard group (`item1.TEL` → `TEL`). */
export function propName(line: string): string {
  const { name } = splitLine(line);
  return name.slice(name.lastIndexOf('.') + 1).toUpperCase();
}

/**
 * Applies `edit` to the unfolded lines; returns `text` unchanged when `edit` returns undefined or the
 * same lines, else the re-serialised result.
 */
export function editLines(text: string, edit: (lines: string[]) => string[] | undefined): string {
  const before = unfold(text);
  const after = edit([...before]);
  if (!after || (after.length === before.length && after.every((l, i) => l === before[i]))) return text;
  return serialise(after);
}

/** Index ranges `[begin, end]` (inclusive) of every `BEGIN:<name>` … `END:<name>` block. */
export function blocks(lines: string[], name: string): [number, number][] {
  const out: [number, number][] = [];
  let start = -1;
  const begin = `BEGIN:${name}`;
  const end = `END:${name}`;
  lines.forEach((l, i) => {
    const u = l.trim().toUpperCase();
    if (u === begin && start < 0) start = i;
    else if (u === end && start >= 0) {
      out.push([start, i]);
      start = -1;
    }
  });
  return out;
}
