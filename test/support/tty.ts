// Commands on a pseudo-terminal, and what a terminal would show. The pty comes from util-linux
// `script` (in every Debian, unlike tmux); `stty` inside it gives the terminal a size, and a
// small terminal model turns the output into the screen a user would be looking at.
import { spawn } from 'node:child_process';

export interface PtyProcess {
  /** everything written to the terminal so far, escape sequences included */
  output(): string;
  /** the screen as it looks now: rows joined by \n, trailing blanks removed */
  screen(): string;
  /** the command's exit code (script -e passes it through) */
  exited: Promise<number | null>;
  /** polls the screen until `accept` holds; fails after `timeoutMs` showing the last screen */
  waitForScreen(what: string, accept: (screen: string) => boolean, timeoutMs?: number): Promise<string>;
  kill(): Promise<void>;
}

export interface PtyOptions {
  env?: NodeJS.ProcessEnv;
  columns?: number;
  rows?: number;
}

const shellQuote = (arg: string) => `'${arg.replace(/'/g, `'\\''`)}'`;

/** Runs `argv` on a fresh pseudo-terminal of `columns` × `rows` (default 100 × 40). */
export function runInPty(argv: string[], opts: PtyOptions = {}): PtyProcess {
  const columns = opts.columns ?? 100;
  const rows = opts.rows ?? 40;
  const command = `stty cols ${columns} rows ${rows} && exec ${argv.map(shellQuote).join(' ')}`;
  const child = spawn('script', ['--quiet', '--flush', '--return', '--command', command, '/dev/null'], {
    env: { ...process.env, TERM: 'xterm-256color', ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (d: string) => (out += d));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  let closed: string | undefined;
  // 'close': the process has exited and everything it wrote has been read.
  const exited = new Promise<number | null>((resolve, reject) => {
    child.once('error', (e) => reject(new Error(`cannot run script (util-linux): ${e.message}`)));
    child.once('close', (code, signal) => {
      closed = String(code ?? signal);
      resolve(code);
    });
  });
  const screen = () => render(out, columns, rows);
  return {
    output: () => out,
    screen,
    exited,
    waitForScreen: async (what, accept, timeoutMs = 60_000) => {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const now = screen();
        if (accept(now)) return now;
        if (closed !== undefined || Date.now() > deadline) {
          throw new Error(`${closed !== undefined ? `the command exited (${closed})` : `timed out after ${timeoutMs} ms`} ` +
            `waiting for ${what}\n--- screen\n${now}\n--- stderr\n${err}`);
        }
        await new Promise((r) => setTimeout(r, 200));
      }
    },
    kill: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited.catch(() => undefined);
    },
  };
}

/**
 * What a terminal of `columns` × `rows` shows after `output`. Models what a line-oriented
 * program may send: text with wrapping and scrolling, CR, LF, BS, TAB, cursor position (CSI H),
 * erase in display/line (CSI J, CSI K), colours (CSI m) and mode switches (CSI ? h/l). Any other
 * escape sequence throws, so a renderer that starts using one cannot be misread silently.
 */
export function render(output: string, columns: number, rows: number): string {
  const blank = () => Array.from({ length: columns }, () => ' ');
  let grid = Array.from({ length: rows }, blank);
  let row = 0;
  let col = 0;
  const lineFeed = () => {
    if (row === rows - 1) grid = [...grid.slice(1), blank()];
    else row += 1;
  };
  const chars = [...output];
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i]!;
    if (ch === '\x1b') {
      if (chars[i + 1] !== '[') throw new Error(`unsupported escape sequence ESC ${JSON.stringify(chars[i + 1])} at ${i}`);
      let j = i + 2;
      let params = '';
      while (j < chars.length && /[0-9;?]/.test(chars[j]!)) params += chars[j++];
      const final = chars[j];
      if (final === undefined) break; // incomplete: still being written
      const nums = params.replace('?', '').split(';').map((p) => (p === '' ? undefined : Number(p)));
      if (final === 'H' || final === 'f') {
        row = Math.min(rows, nums[0] ?? 1) - 1;
        col = Math.min(columns, nums[1] ?? 1) - 1;
      } else if (final === 'J') {
        const mode = nums[0] ?? 0;
        if (mode === 2 || mode === 3) grid = Array.from({ length: rows }, blank);
        else if (mode === 0) {
          for (let c = col; c < columns; c++) grid[row]![c] = ' ';
          for (let r = row + 1; r < rows; r++) grid[r] = blank();
        } else throw new Error(`unsupported erase in display ${mode}`);
      } else if (final === 'K') {
        const mode = nums[0] ?? 0;
        if (mode !== 0) throw new Error(`unsupported erase in line ${mode}`);
        for (let c = col; c < columns; c++) grid[row]![c] = ' ';
      } else if (final === 'm' || ((final === 'h' || final === 'l') && params.startsWith('?'))) {
        // colours and private modes (cursor visibility, ...) do not change the text
      } else {
        throw new Error(`unsupported escape sequence CSI ${params}${final}`);
      }
      i = j;
    } else if (ch === '\r') col = 0;
    else if (ch === '\n') lineFeed();
    else if (ch === '\b') col = Math.max(0, col - 1);
    else if (ch === '\t') col = Math.min(columns - 1, (Math.floor(col / 8) + 1) * 8);
    else if (ch < ' ' || ch === '\x7f') {
      if (ch !== '\x07') throw new Error(`unsupported control character ${JSON.stringify(ch)} at ${i}`);
    } else {
      if (col >= columns) {
        col = 0;
        lineFeed();
      }
      grid[row]![col] = ch;
      col += 1;
    }
  }
  return grid.map((r) => r.join('').trimEnd()).join('\n').replace(/\n+$/, '');
}
