// Reads a new password: the first line of standard input when it is not a terminal (scripts, tests:
// `echo secret | davgate user add alice`), otherwise a prompt that does not echo, asked twice.
import { CliError, type CliIo } from './io.ts';

const MAX_PASSWORD_BYTES = 4096;

/** The first line of a non-terminal stdin (without the line ending); stops reading at the newline. */
export async function readFirstLine(stdin: CliIo['stdin']): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stdin) {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    const nl = buf.indexOf(0x0a);
    chunks.push(nl === -1 ? buf : buf.subarray(0, nl));
    size += buf.length;
    if (nl !== -1 || size > MAX_PASSWORD_BYTES) break;
  }
  return Buffer.concat(chunks).toString('utf8').replace(/\r$/, '');
}

/** Reads one line from a terminal in raw mode without echoing it. */
function promptHidden(io: CliIo, question: string): Promise<string> {
  const { stdin } = io;
  return new Promise((resolve, reject) => {
    let text = '';
    io.prompt(question);
    stdin.setRawMode?.(true);
    stdin.resume();
    stdin.setEncoding('utf8');
    const finish = (err?: Error) => {
      stdin.off('data', onData);
      stdin.setRawMode?.(false);
      stdin.pause();
      io.prompt('\n');
      if (err) reject(err);
      else resolve(text);
    };
    const onData = (data: string) => {
      for (const ch of data) {
        if (ch === '\r' || ch === '\n') return finish();
        if (ch === '\u0003') return finish(new CliError('cancelled', 130)); // Ctrl-C
        if (ch === '\u0004') return finish(); // Ctrl-D
        if (ch === '\u007f' || ch === '\b') text = [...text].slice(0, -1).join('');
        else if (ch >= ' ') text += ch;
      }
    };
    stdin.on('data', onData);
  });
}

/** A new password from stdin or the terminal; never empty. */
export async function readNewPassword(io: CliIo): Promise<string> {
  if (!io.stdin.isTTY) {
    const password = await readFirstLine(io.stdin);
    if (!password) throw new CliError('no password on standard input (send it as the first line, or use --generate)');
    return password;
  }
  const password = await promptHidden(io, 'New password: ');
  if (!password) throw new CliError('empty password refused');
  const again = await promptHidden(io, 'Repeat password: ');
  if (again !== password) throw new CliError('the passwords do not match');
  return password;
}
