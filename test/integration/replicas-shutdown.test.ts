// Graceful shutdown of a replica (issue 6): on SIGTERM the gateway stops accepting connections, lets the
// request in flight finish (here a PUT whose body is still arriving), closes its Redis connection and
// exits 0 — so a rolling update behind a Service loses no write.
import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { after, before, describe, test } from 'node:test';
import { hasRedis, type StartedRedis, startRedis } from '../support/redis.ts';
import { basicAuth, startServer } from '../support/server.ts';
import { ics, redisEnv, request } from './redis-dav.ts';

const CAL = '/dav/calendars/alice/calendar/';

describe('SIGTERM on a replica using Redis', { skip: (await hasRedis()) ? false : 'redis-server missing' }, () => {
  let redis: StartedRedis;
  before(async () => {
    redis = await startRedis();
  });
  after(async () => {
    await redis?.cleanup();
  });

  test('the PUT in flight completes, new connections are refused, Redis is left cleanly', async () => {
    const server = await startServer({
      env: { ...redisEnv({ DAVGATE_STATE_URL: redis.url }), DAVGATE_LOGGING_LEVEL: 'info' },
    });
    try {
      const user = server.users[0];
      // Make the replica use Redis once so it holds a connection.
      const sync = await request(
        server.baseUrl,
        user,
        'REPORT',
        CAL,
        { Depth: '0', 'Content-Type': 'application/xml' },
        '<d:sync-collection xmlns:d="DAV:"><d:sync-token/><d:sync-level>1</d:sync-level><d:prop/></d:sync-collection>',
      );
      assert.equal(sync.status, 207);
      assert.match(await redis.command('CLIENT', 'LIST'), /name=davgate/);

      const body = Buffer.from(ics('slow.ics', 'arrives slowly'));
      const half = Math.floor(body.length / 2);
      const response = new Promise<number>((resolve, reject) => {
        const req = httpRequest(
          {
            host: '127.0.0.1',
            port: server.port,
            method: 'PUT',
            path: `${CAL}slow.ics`,
            headers: {
              Authorization: basicAuth(user),
              'Content-Type': 'text/calendar',
              'Content-Length': String(body.length),
              // Without it, the connection idles after the response and holds the drain until Node's keep-alive
              // timeout (serve.ts closes idle connections only when the drain starts): see docs/operations.md.
              Connection: 'close',
            },
            agent: false,
          },
          (res) => {
            res.resume();
            res.on('end', () => resolve(res.statusCode ?? 0));
          },
        );
        req.on('error', reject);
        req.write(body.subarray(0, half));
        // The rest after SIGTERM has been delivered.
        setTimeout(() => req.end(body.subarray(half)), 700);
      });
      await new Promise((r) => setTimeout(r, 200));
      const stopping = server.stop();
      await new Promise((r) => setTimeout(r, 300));
      await assert.rejects(fetch(`${server.baseUrl}healthz`), 'a new connection is refused while draining');
      assert.equal(await response, 201, 'the request in flight finished');
      const drainStarted = Date.now();
      await stopping;
      assert.ok(Date.now() - drainStarted < 3000, `exited once the request was done (${Date.now() - drainStarted} ms)`);
      assert.match(server.logs(), /SIGTERM, shutting down/);
      assert.match(server.logs(), /"msg":"stopped"/);
      assert.doesNotMatch(await redis.command('CLIENT', 'LIST'), /name=davgate/, 'the Redis connection was closed');
    } finally {
      await server.stop();
    }
  });
});
