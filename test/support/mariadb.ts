// Starts Debian's MariaDB for the SQL adapter's tests: mariadb-install-db in a temporary directory, the
// server on a free loopback port (durability off: test data is disposable), a `davgate` account with
// every privilege, one throw-away database per suite, and everything stopped and removed afterwards.
import { join } from 'node:path';
import mysql from 'mysql2/promise';
import type { NetworkDbOptions } from '../../adapters/sql/query/connect.ts';
import { ownedTempDir, removeDir, runAsUser, runTool, spawnDb, waitReady } from './db-process.ts';
import { freePort } from './redis.ts';
import { hasExecutable } from './server.ts';

const USER = 'davgate';
const INSTALL_DB = 'mariadb-install-db';
const SERVER = '/usr/sbin/mariadbd';

export async function hasMariadb(): Promise<boolean> {
  return (await hasExecutable(INSTALL_DB)) || (await hasExecutable('/usr/bin/mariadb-install-db'));
}

export interface RunningMariadb {
  host: string;
  port: number;
  user: string;
  /** The temporary directory holding data, socket and logs (removed by stop). */
  dir: string;
  createDatabase(name?: string): Promise<NetworkDbOptions & { dialect: 'mysql' }>;
  /** A connection as the davgate account to a database (for tests standing in for another writer). */
  admin(database: string): Promise<mysql.Connection>;
  kill(): Promise<void>;
  start(): Promise<void>;
  logs(): string;
  stop(): Promise<void>;
}

let dbCounter = 0;

export async function startMariadb(): Promise<RunningMariadb> {
  const owner = await runAsUser('mysql');
  const dir = await ownedTempDir('davgate-maria-', owner);
  const data = join(dir, 'data');
  const socket = join(dir, 'mysqld.sock');
  await runTool(INSTALL_DB, [
    '--no-defaults',
    `--datadir=${data}`,
    '--auth-root-authentication-method=socket',
    '--skip-test-db',
    ...(owner ? ['--user=mysql'] : []),
  ]);
  const port = await freePort();
  const args = [
    '--no-defaults',
    `--datadir=${data}`,
    `--port=${port}`,
    '--bind-address=127.0.0.1',
    `--socket=${socket}`,
    `--pid-file=${join(dir, 'mysqld.pid')}`,
    `--tmpdir=${dir}`,
    '--skip-log-bin',
    '--innodb-buffer-pool-size=64M',
    '--innodb-flush-log-at-trx-commit=0',
    '--innodb-doublewrite=0',
    '--skip-name-resolve',
    '--max-connections=200',
    '--character-set-server=utf8mb4',
    '--collation-server=utf8mb4_bin',
    `--log-error=${join(dir, 'error.log')}`,
    ...(owner ? ['--user=mysql'] : []),
  ];
  let proc = spawnDb(SERVER, args, dir, owner);
  // First contact over the socket as root (socket auth), creating the TCP account the tests use.
  const bootstrap = async () => {
    const c = await mysql.createConnection({ socketPath: socket, user: 'root', connectTimeout: 2000 });
    try {
      await c.query(`CREATE USER IF NOT EXISTS '${USER}'@'127.0.0.1'`);
      await c.query(`GRANT ALL PRIVILEGES ON *.* TO '${USER}'@'127.0.0.1' WITH GRANT OPTION`);
    } finally {
      await c.end();
    }
  };
  const connect = (database?: string) =>
    mysql.createConnection({
      host: '127.0.0.1',
      port,
      user: USER,
      database,
      connectTimeout: 2000,
      multipleStatements: true,
    });
  const ready = async () => {
    const c = await connect();
    await c.end();
  };
  try {
    await waitReady(proc, 'mariadb', bootstrap);
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
      const c = await connect();
      try {
        await c.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin`);
      } finally {
        await c.end();
      }
      return { dialect: 'mysql', host: '127.0.0.1', port, user: USER, database: name };
    },
    admin: (database) => connect(database),
    async kill() {
      await proc.end('SIGKILL');
    },
    async start() {
      proc = spawnDb(SERVER, args, dir, owner);
      await waitReady(proc, 'mariadb', ready);
    },
    logs: () => proc.logs(),
    async stop() {
      await proc.end('SIGTERM');
      await removeDir(dir);
    },
  };
}
