/**
 * The command examples the documentation shows, collected for test/docs/examples.test.ts: the
 * README's `sh` blocks, the "Examples:" of every `--help`, and the man page's EXAMPLES. Each
 * becomes a bash script that runs the lines in order and reports every cxl-flasher command's
 * exit status, to compare with the exit code the documentation gives for it.
 */

export interface ExampleLine {
  /** the command as documented, continuation lines joined */
  readonly text: string;
  /** a cxl-flasher command (checked), or a setup line (head, sleep, a background job) */
  readonly checked: boolean;
  /** the exit code a trailing `# ... exit N` comment documents, if any */
  readonly documentedExit: number | null;
}

export interface ExampleBlock {
  readonly source: string;
  readonly lines: readonly ExampleLine[];
}

const CLI_COMMAND = /^(?:[A-Z_]+=\S*\s+)*(?:npx\s+)?(?:cxl-flasher|node\s+dist\/cli\.js)(?:\s|$)/;

/** Join `\` continuations; keep the text of each logical line. */
function logicalLines(raw: readonly string[]): string[] {
  const out: string[] = [];
  let pending = '';
  for (const line of raw) {
    const trimmed = line.trim();
    if (trimmed.endsWith('\\')) pending += `${trimmed.slice(0, -1).trimEnd()} `;
    else {
      out.push(`${pending}${trimmed}`.trim());
      pending = '';
    }
  }
  if (pending) out.push(pending.trim());
  return out.filter((l) => l.length > 0);
}

/** Split `command   # comment` at a `#` that starts a word outside quotes. */
function splitComment(line: string): { command: string; comment: string } {
  let quote: string | null = null;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quote) {
      if (c === quote) quote = null;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '#' && (i === 0 || /\s/.test(line[i - 1] ?? ''))) {
      return { command: line.slice(0, i).trimEnd(), comment: line.slice(i + 1).trim() };
    }
  }
  return { command: line, comment: '' };
}

export function exampleLines(raw: readonly string[]): ExampleLine[] {
  return logicalLines(raw).flatMap((line) => {
    const { command, comment } = splitComment(line);
    if (!command) return [];
    const exit = /\bexit (\d+)\b/.exec(comment);
    return [
      {
        text: command,
        checked: CLI_COMMAND.test(command) && !command.endsWith('&'),
        documentedExit: exit ? Number(exit[1]) : null,
      },
    ];
  });
}

/** The README's ```sh blocks; `npm` lines (install, test) are not examples of the program. */
export function readmeBlocks(markdown: string, source = 'README.md'): ExampleBlock[] {
  const blocks: ExampleBlock[] = [];
  for (const m of markdown.matchAll(/^```sh\n([\s\S]*?)^```$/gm)) {
    const raw = (m[1] ?? '').split('\n').filter((l) => !/^\s*npm\s/.test(l));
    const lines = exampleLines(raw);
    if (lines.some((l) => l.checked))
      blocks.push({ source: `${source} block ${blocks.length + 1}`, lines });
  }
  return blocks;
}

/** The "Examples:" section at the end of a --help text. */
export function helpExamples(help: string): string[] {
  const at = help.indexOf('\nExamples:\n');
  if (at < 0) return [];
  return help
    .slice(at + '\nExamples:\n'.length)
    .split('\n')
    .filter((l) => l.startsWith('  '));
}

/** The man page source's EXAMPLES: its indented code lines. */
export function manExamples(markdown: string): string[] {
  const section = /^## EXAMPLES\n([\s\S]*?)(?=^## )/m.exec(markdown)?.[1] ?? '';
  return section.split('\n').filter((l) => l.startsWith('    '));
}

/**
 * A bash script for one block: `cxl-flasher` is the built CLI on the simulator (unless the
 * example chooses its own `--simulate=...`) with a fresh state directory, `/tmp/` is a private
 * folder, and each checked line prints `::rc N CODE` after it ran.
 */
export function blockScript(block: ExampleBlock, cli: string, tmp: string, state: string): string {
  const body = block.lines.map((line, i) => {
    const text = line.text.replaceAll('/tmp/', `${tmp}/`);
    if (!line.checked) return text;
    const watched = /\s--watch\b/.test(text)
      ? `timeout --preserve-status -s INT 3 bash -c ${shellQuote(`${prelude(cli, state)}\n${text}`)}`
      : text;
    return `( ${watched} ) </dev/null; echo "::rc ${i} $?"`;
  });
  return [prelude(cli, state), 'set -o pipefail', ...body, 'wait'].join('\n');
}

function prelude(cli: string, state: string): string {
  return [
    `cxl-flasher() {`,
    `  case " $* " in`,
    `    *" --simulate"*) node ${shellQuote(cli)} --state-dir ${shellQuote(state)} "$@" ;;`,
    `    *) node ${shellQuote(cli)} --state-dir ${shellQuote(state)} --simulate "$@" ;;`,
    `  esac`,
    `}`,
    `npx() { "$@"; }`,
    `node() { if [ "$1" = dist/cli.js ]; then shift; cxl-flasher "$@"; else command node "$@"; fi; }`,
  ].join('\n');
}

export function shellQuote(s: string): string {
  return `'${s.replaceAll("'", `'\\''`)}'`;
}
