// Starts Debian's PostgreSQL for the SQL adapter's tests: initdb in a temporary directory, the server on a
// free loopback port (fsync off: test data is disposable), one throw-away database per suite, and
// everything stopped and removed afterwards.
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import pg from 'pg';
import type { NetworkDbOptions } from '../../adapters/sql/query/connect.ts';
import { ownedTempDir, removeDir, runAsUser, runTool, spawnDb, waitReady } from './db-process.ts';
import { freePort } from './redis.ts';

const ROOT = '/usr/lib/postgresql';
const USER = 'davgate';

/** The newest installed server's bin directory, or undefined when PostgreSQL is not installed. */
export async function postgresBinDir(): Promise<string | undefined> {
  try {
    const versions = (await readdir(ROOT)).filter((v) => /^\d+$/.test(v)).sort((a, b) => Number(b) - Number(a));
    return versions.length ? join(ROOT, versions[0], 'bin') : undefined;
  } catch {
    return undefined;
  }
}

export async function hasPostgres(): Promise<boolean> {
  return (await postgresBinDir()) !== undefined;
}

export interface RunningPostgres {
  host: string;
  port: number;
  user: string;
  /** The temporary directory holding data, socket and logs (removed by stop). */
  dir: string;
  /** Creates an empty database and returns connection options for it. */
  createDatabase(name?: string): Promise<NetworkDbOptions & { dialect: 'postgres' }>;
  /** Runs SQL as the superuser on a database (for tests standing in for another writer). */
  admin(database: string): Promise<pg.Client>;
  /** Stops the server abruptly (an outage) without removing its data; start() brings it back. */
  kill(): Promise<void>;
  start(): Promise<void>;
  logs(): string;
  stop(): Promise<void>;
}

let dbCounter = 0;

export async function startPostgres(): Promise<RunningPostgres> {
  const bin = await postgresBinDir();
  if (!bin) throw new Error('PostgreSQL is not installed (apt-get install postgresql)');
  const owner = await runAsUser('postgres');
  const dir = await ownedTempDir('davgate-pg-', owner);
  const data = join(dir, 'data');
  await runTool(
    join(bin, 'initdb'),
    ['-D', data, '-U', USER, '--auth=trust', '-E', 'UTF8', '--no-locale', '-N'],
    owner,
  );
  const port = await freePort();
  const args = [
    '-D',
    data,
    '-p',
    String(port),
    '-k',
    dir,
    '-c',
    'listen_addresses=127.0.0.1',
    '-c',
    'fsync=off',
    '-c',
    'synchronous_commit=off',
    '-c',
    'full_page_writes=off',
    '-c',
    'max_connections=200',
    '-c',
    'shared_buffers=64MB',
  ];
  let proc = spawnDb(join(bin, 'postgres'), args, dir, owner);
  const connect = async (database: string) => {
    const c = new pg.Client({ host: '127.0.0.1', port, user: USER, database, connectionTimeoutMillis: 2000 });
    c.on('error', () => {});
    await c.connect();
    return c;
  };
  const ready = async () => {
    const c = await connect('postgres');
    await c.end();
  };
  try {
    await waitReady(proc, 'postgres', ready);
  } catch (err) {
    await proc.end('SIGKILL');
    await removeDir(dir);
    throw err;
  }
  return {
    host: '127.0.0.1',
    port,
    user: USER,
    dir,
    async createDatabase(name = `t${process.pid}_${++dbCounter}`) {
      const c = await connect('postgres');
      try {
        await c.query(`CREATE DATABASE "${name}"`);
      } finally {
        await c.end();
      }
      return { dialect: 'postgres', host: '127.0.0.1', port, user: USER, database: name };
    },
    admin: connect,
    async kill() {
      await proc.end('SIGKILL');
    },
    async start() {
      // A killed postmaster leaves its pid file; postgres removes a stale one itself.
      proc = spawnDb(join(bin, 'postgres'), args, dir, owner);
      await waitReady(proc, 'postgres', ready);
    },
    logs: () => proc.logs(),
    async stop() {
      await proc.end('SIGINT'); // fast shutdown
      await removeDir(dir);
    },
  };
}
