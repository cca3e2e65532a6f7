// `davgate serve`: open the configured store, build the app, listen, print one ready line, and shut
// down cleanly on SIGTERM/SIGINT (in-flight requests finish; idle keep-alive connections close).
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAdaptorServer } from '@hono/node-server';
import type { Config } from '../config/schema.ts';
import { appDepsFrom } from './app-deps.ts';
import { ensureFirstUser, printFirstUser } from './first-run.ts';
import { CliError, type CliIo } from './io.ts';
import type { CliRuntime } from './runtime.ts';
import { appPrefix, origin } from './urls.ts';

export interface RunningServer {
  /** The DAV root URL, e.g. http://127.0.0.1:8008/dav/ */
  url: string;
  port: number;
  /** Stops accepting, lets requests finish for up to `graceMs`, then closes the stores. */
  close(graceMs?: number): Promise<void>;
}

function listen(server: Server, port: number, host: string): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException) => {
      const why = err.code === 'EADDRINUSE' ? 'address already in use' : err.message;
      reject(new CliError(`cannot listen on ${origin(host, port)}: ${why}`));
    };
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve(server.address() as AddressInfo);
    });
  });
}

export async function startServer(config: Config, runtime: CliRuntime, io: CliIo): Promise<RunningServer> {
  const log = runtime.createLogger(config.logging.level);
  // The state store first: the storage may keep data in it (a column mapping's `extras.store: state`).
  const state = await runtime.createState(config);
  let store: Awaited<ReturnType<CliRuntime['openStore']>> | undefined;
  try {
    store = await runtime.openStore(config, state);
    const opened = store;
    const firstUser = await ensureFirstUser(store, io.env);
    const app = await runtime.buildApp(appDepsFrom(config, store, state, log));
    // The env (incoming/outgoing) goes through: the DAV handler reads the HTTP version from it (no chunked bodies for HTTP/1.0).
    const server = createAdaptorServer({ fetch: (req, env) => app.fetch(req, env) }) as Server;
    const address = await listen(server, config.server.port, config.server.host);
    const url = `${origin(config.server.host, address.port)}${appPrefix(config)}/`;
    if (firstUser) printFirstUser(io, config, address.port, firstUser);
    io.out(`davgate listening on ${url}`);
    log.info('listening', { url });
    let closing: Promise<void> | undefined;
    const close = (graceMs = 10_000) => {
      closing ??= (async () => {
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeIdleConnections();
        // Keep-alive connections that finish their request during the drain go idle later: close them
        // as they do, instead of waiting for the keep-alive timeout.
        const sweep = setInterval(() => server.closeIdleConnections(), 50);
        const force = setTimeout(() => server.closeAllConnections(), graceMs);
        await closed;
        clearInterval(sweep);
        clearTimeout(force);
        await state.close();
        await opened.close();
        log.info('stopped');
      })();
      return closing;
    };
    return { url, port: address.port, close };
  } catch (err) {
    await state.close();
    await store?.close();
    throw err;
  }
}

/** Runs until SIGTERM or SIGINT; a second signal (a second later or more) forces the exit. */
export async function runServe(config: Config, runtime: CliRuntime, io: CliIo): Promise<number> {
  const running = await startServer(config, runtime, io);
  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    process.once('SIGTERM', () => resolve('SIGTERM'));
    process.once('SIGINT', () => resolve('SIGINT'));
  });
  io.err(`davgate: ${signal}, shutting down`);
  const firstAt = Date.now();
  const force = () => {
    // The same Ctrl-C can arrive twice (terminal and a wrapper forwarding it): only a later one forces.
    if (Date.now() - firstAt < 1000) return;
    io.err('davgate: forced exit');
    process.exit(1);
  };
  process.on('SIGTERM', force);
  process.on('SIGINT', force);
  await running.close();
  process.off('SIGTERM', force);
  process.off('SIGINT', force);
  return 0;
}
