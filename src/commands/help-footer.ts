/**
 * The text under a command's options in `--help`: notes, the exit codes it uses and runnable
 * examples, with the prose wrapped to 80 columns so that it reads in any terminal.
 */

const WIDTH = 80;

/** Greedy word wrap; a word longer than the width gets a line of its own. */
export function wrapText(text: string, width = WIDTH): string {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines.join('\n');
}

export interface HelpFooter {
  /** paragraphs of prose, each wrapped */
  readonly notes?: readonly string[];
  /** the exit codes this command uses, one sentence after "Exit codes:" */
  readonly exitCodes: string;
  /** command lines, shown as written: each must run as it stands */
  readonly examples: readonly string[];
}

export function helpFooter(footer: HelpFooter): string {
  return [
    '',
    ...(footer.notes ?? []).flatMap((note) => [wrapText(note), '']),
    wrapText(`Exit codes: ${footer.exitCodes}`),
    '',
    'Examples:',
    ...footer.examples.map((example) => `  ${example}`),
  ].join('\n');
}
