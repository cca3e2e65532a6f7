// Client profiles through the real server process: the `quirks` section of a YAML configuration file
// reaches the app (an operator rule gives an agent the aggregated address book), Evolution's
// `Expect: 100-continue` + chunked PUT is answered over real HTTP (quirks Q13), and /metrics counts
// requests per profile.
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type RunningServer, startServer } from '../support/server.ts';

const CONFIG = `quirks:
  rules:
    - userAgent: '^LegacyBook/'
      options: { aggregatedAddressBook: true }
  aggregatedAddressBook:
    displayName: Everyone
`;

const ICS = `BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Ximian//NONSGML Evolution Calendar//EN\r\nBEGIN:VEVENT\r\nUID:evo-100\r\nDTSTAMP:20260101T000000Z\r\nDTSTART:20260105T100000Z\r\nDTEND:20260105T110000Z\r\nSUMMARY:Continue\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n`;

describe('client profiles in the running server', () => {
  let server: RunningServer;
  let auth: string;

  before(async () => {
    const config = join(tmpdir(), `davgate-quirks-${process.pid}.yaml`);
    await writeFile(config, CONFIG);
    server = await startServer({ users: ['alice'], config });
    const u = server.users[0];
    auth = `Basic ${Buffer.from(`${u.name}:${u.password}`).toString('base64')}`;
  });
  after(() => server?.stop());

  const url = (path: string) => new URL(path, server.baseUrl).toString();

  it('quirks Q13: Evolution PUT with Expect: 100-continue and a chunked body', async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(url(`${server.prefix}/calendars/alice/calendar/evo-100.ics`), {
        method: 'PUT',
        headers: {
          Authorization: auth,
          'User-Agent': 'Evolution/3.28.5',
          'Content-Type': 'text/calendar',
          Expect: '100-continue',
          'Transfer-Encoding': 'chunked',
          'If-None-Match': '*',
        },
      });
      let continued = false;
      req.on('continue', () => {
        continued = true;
        req.write(ICS.slice(0, 80));
        req.end(ICS.slice(80));
      });
      req.on('response', (res) => {
        res.resume();
        assert.ok(continued, 'the body was sent after 100 Continue');
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
    });
    assert.equal(status, 201);
    const got = await fetch(url(`${server.prefix}/calendars/alice/calendar/evo-100.ics`), {
      headers: { Authorization: auth },
    });
    assert.match(await got.text(), /SUMMARY:Continue/);
  });

  it('a configured rule gives an agent the aggregated address book; others see the real books', async () => {
    const propfind = async (ua: string) => {
      const r = await fetch(url(`${server.prefix}/addressbooks/alice/`), {
        method: 'PROPFIND',
        headers: { Authorization: auth, 'User-Agent': ua, Depth: '1', 'Content-Type': 'text/xml' },
        body: '<d:propfind xmlns:d="DAV:"><d:prop><d:displayname/></d:prop></d:propfind>',
      });
      assert.equal(r.status, 207);
      return r.text();
    };
    const legacy = await propfind('LegacyBook/2.0');
    assert.match(legacy, /<d:href>\/dav\/addressbooks\/alice\/all-contacts\/<\/d:href>/);
    assert.match(legacy, /<d:displayname>Everyone<\/d:displayname>/);
    assert.doesNotMatch(legacy, /addressbooks\/alice\/contacts\//);
    const other = await propfind('vdirsyncer/0.19.3');
    assert.match(other, /addressbooks\/alice\/contacts\//);
    assert.doesNotMatch(other, /all-contacts/);
  });

  it('/metrics counts the requests per profile', async () => {
    const text = await (await fetch(url('/metrics'))).text();
    assert.match(text, /davgate_requests_total\{profile="evolution",method="PUT",status="2xx"\} 1/);
    assert.match(text, /davgate_requests_total\{profile="rule-1",method="PROPFIND",status="2xx"\} 1/);
    assert.match(text, /davgate_requests_total\{profile="vdirsyncer",method="PROPFIND",status="2xx"\} 1/);
  });
});
