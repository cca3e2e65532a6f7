// Reads litmus 0.13 output: per-suite summaries and failed tests from stdout, and from debug.log
// (neon's trace) the last request each failed test sent, so a failure names the exact request.

export interface SuiteResult {
  suite: string;
  run: number;
  passed: number;
  failed: number;
  /** The summary line as litmus printed it. */
  summary: string;
  /** `N. name: message` for each FAIL (and ERROR) line. */
  failures: { index: number; name: string; message: string }[];
  skipped: string[];
  warnings: string[];
}

const SUITE_START = /^-> running `([^']+)':/;
const SUMMARY = /^<- summary for `([^']+)': of (\d+) tests run: (\d+) passed, (\d+) failed\./;
// litmus prints the name twice when it is not a TTY ("4. copy_overwrite.....  4. copy_overwrite.... FAIL (…)").
const RESULT = /(\d+)\. (\w+)\.*\s+(FAIL|ERROR|SKIPPED)\s*\((.*)$/;

/** Parses litmus stdout; a suite that aborted before its summary has `summary: ''`. */
export function parseLitmusOutput(stdout: string): SuiteResult[] {
  const suites: SuiteResult[] = [];
  let cur: SuiteResult | undefined;
  const lines = stdout.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const start = SUITE_START.exec(line);
    if (start) {
      cur = { suite: start[1], run: 0, passed: 0, failed: 0, summary: '', failures: [], skipped: [], warnings: [] };
      suites.push(cur);
      continue;
    }
    if (!cur) continue;
    const sum = SUMMARY.exec(line);
    if (sum) {
      Object.assign(cur, { run: Number(sum[2]), passed: Number(sum[3]), failed: Number(sum[4]), summary: line.trim() });
      continue;
    }
    const r = RESULT.exec(line);
    if (r) {
      // A message may continue on the next lines until the closing parenthesis.
      let message = r[4];
      while (!message.trimEnd().endsWith(')') && i + 1 < lines.length && !RESULT.test(lines[i + 1]))
        message += ` ${lines[++i].trim()}`;
      message = message.trimEnd().replace(/\)$/, '');
      if (r[3] === 'SKIPPED') cur.skipped.push(`${r[2]}: ${message}`);
      else cur.failures.push({ index: Number(r[1]), name: r[2], message });
      continue;
    }
    const warn = /WARNING: (.*)$/.exec(line);
    if (warn) cur.warnings.push(warn[1]);
  }
  return suites;
}

export interface TracedRequest {
  /** "suite: N (name)" from the X-Litmus header. */
  test: string;
  requestLine: string;
  headers: string[];
  body: string;
  status: string;
  responseBody: string;
}

const SHOWN_HEADERS = /^(Destination|Overwrite|Depth|If|If-Match|If-None-Match|Content-Type|Lock-Token|Timeout):/i;

/** The requests in litmus's debug.log, with the headers that matter for DAV semantics. */
export function parseDebugLog(log: string): TracedRequest[] {
  const out: TracedRequest[] = [];
  const lines = log.split(/\r?\n/);
  let cur: TracedRequest | undefined;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (line === 'Sending request headers:') {
      cur = { test: '', requestLine: lines[i + 1] ?? '', headers: [], body: '', status: '', responseBody: '' };
      out.push(cur);
      i++;
      continue;
    }
    if (!cur) continue;
    const xl = /^X-Litmus: (.*)$/.exec(line);
    if (xl) cur.test = xl[1];
    else if (!cur.status && SHOWN_HEADERS.test(line)) cur.headers.push(line);
    else if (line.startsWith('Body block (') && !cur.body) cur.body = readBlock(lines, i + 1);
    else if (line.startsWith('[status-line] < ')) cur.status = line.slice('[status-line] < '.length);
    else if (line.startsWith('Read block (') && cur.status && !cur.responseBody)
      cur.responseBody = readBlock(lines, i + 1);
  }
  return out;
}

/** neon logs a block as "[" + content + "]" over one or more lines. */
function readBlock(lines: string[], from: number): string {
  let text = lines[from] ?? '';
  for (let j = from + 1; !text.endsWith(']') && j < lines.length && j < from + 40; j++) text += `\n${lines[j]}`;
  return text.replace(/^\[/, '').replace(/\]$/, '').slice(0, 600);
}

/** A readable account of one failed test: its message and the last request it sent. */
export function describeFailure(suite: string, f: SuiteResult['failures'][number], trace: TracedRequest[]): string {
  const key = `${suite}: ${f.index} (${f.name})`;
  const reqs = trace.filter((r) => r.test === key);
  const last = reqs.at(-1);
  const lines = [`${suite} ${f.index}. ${f.name}: ${f.message}`];
  if (last) {
    lines.push(`  last request: ${last.requestLine}`);
    for (const h of last.headers) lines.push(`    ${h}`);
    if (last.body) lines.push(`    body: ${last.body.replace(/\n/g, '\\n')}`);
    lines.push(
      `  response: ${last.status}${last.responseBody ? ` — ${last.responseBody.trim().replace(/\n/g, '\\n').slice(0, 300)}` : ''}`,
    );
  }
  return lines.join('\n');
}
