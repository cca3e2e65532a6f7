// renderBatches (the streamed calendar reports) must give exactly the responses renderEach gives.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MemoryBackend } from '../../../adapters/memory/memory-backend.ts';
import { caldavProperties } from '../../caldav/props.ts';
import { calendarInfo, fixture, RFC_FIXTURES, testContext } from '../../caldav/test-support.ts';
import type { ObjectResource } from '../resource.ts';
import { caldav, dav } from '../xml/names.ts';
import { el, type XmlElement } from '../xml/tree.ts';
import { writeXml } from '../xml/write.ts';
import { PropertyRegistry } from './registry.ts';
import { RENDER_BATCH, renderBatches, renderEach } from './render.ts';
import { webdavProperties } from './webdav.ts';

describe('renderBatches', () => {
  it('RFC 4918 §9.1: the same responses as renderEach, in order, over more than one batch', async () => {
    const backend = new MemoryBackend();
    const info = calendarInfo();
    await backend.admin?.createCollection(info.ref, 'calendar', {});
    const ctx = testContext({
      backend,
      props: new PropertyRegistry().register(...webdavProperties, ...caldavProperties),
    });
    const n = RENDER_BATCH + 7;
    const resources: ObjectResource[] = [];
    for (let i = 0; i < n; i++) {
      const text = fixture(`rfc4791/${RFC_FIXTURES[i % RFC_FIXTURES.length]}.ics`).replace(
        /UID:[^\r\n]*/g,
        `UID:u${i}`,
      );
      const body = new TextEncoder().encode(text);
      const put = await backend.putObject(
        info.ref,
        `${i}.ics`,
        { body, contentType: 'text/calendar', uid: `u${i}`, componentType: 'VEVENT' },
        {},
      );
      resources.push({ type: 'object', collection: info, backend, ref: { name: `${i}.ics`, etag: put.etag } });
    }
    const req = { kind: 'prop' as const, props: [el(dav('getetag')), el(caldav('calendar-data')), el(dav('nope'))] };
    const one: XmlElement[] = [];
    for await (const r of renderEach(ctx, resources, req)) one.push(r);
    const batched: XmlElement[][] = [];
    for await (const b of renderBatches(ctx, resources, req)) batched.push(b);
    assert.equal(batched.length, 2);
    assert.deepEqual(batched.flat(), one);
    assert.equal(one.length, n);
    // Written out: a body served as stored is held as bytes in the tree (XmlElement.bytes).
    assert.match(writeXml(one[n - 1]), /BEGIN:VCALENDAR/, 'bodies were loaded for calendar-data');
  });
});
