/**
 * The citation checker behind test/docs/citations.test.ts: finds every citation of a document
 * (`docs/NAME.md`, `docs/NAME.md §N`, a bare `§N`, a Markdown link with `#anchor`) in the
 * repository's text files and says which ones point at nothing.
 *
 * A bare `§N` belongs to the last document named before it on the same line; with none, to the
 * Markdown file it is written in, or else to docs/kernel-contract.md (the document most code
 * cites). The old reference documents that never were in the repository are refused by name.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';

export interface CitationProblem {
  file: string;
  line: number;
  problem: string;
}

/** Documents that lived outside the repository; no file may cite them any more. */
const GONE = ['kernel-abi', 'design', 'ink-notes', 'peer-tools'].map((n) => `${n}.md`);
const GONE_PATTERN = new RegExp(
  `(?<![\\w/.-])(${[...GONE.map((g) => g.replace('.', '\\.')), 'seed-review\\.txt'].join('|')})`,
  'g',
);

const DEFAULT_DOC = 'docs/kernel-contract.md';

/** Section numbers of a Markdown file: headings that start with `1`, `4.2` or `4.2.` etc. */
export function sectionsOf(markdown: string): Set<string> {
  const out = new Set<string>();
  for (const m of markdown.matchAll(/^#{1,6}\s+(\d+(?:\.\d+)*)\.?\s/gm)) out.add(m[1] ?? '');
  return out;
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to dashes. */
export function slugOf(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

export function anchorsOf(markdown: string): Set<string> {
  const out = new Set<string>();
  for (const m of markdown.matchAll(/^#{1,6}\s+(.+)$/gm)) out.add(slugOf(m[1] ?? ''));
  return out;
}

/** Tokens of one line, in order: a document named, or a section number. */
const TOKEN =
  /(?<![\w.-])((?:docs\/)?[\w-]+\.md)(?:#([\w-]+))?|§\s?(\d+(?:\.\d+)*)|\bsection\s+(\d+(?:\.\d+)*)/g;

export class CitationChecker {
  private readonly cache = new Map<string, string | null>();

  constructor(private readonly repoRoot: string) {}

  private read(path: string): string | null {
    const cached = this.cache.get(path);
    if (cached !== undefined) return cached;
    const abs = join(this.repoRoot, path);
    const body = existsSync(abs) && statSync(abs).isFile() ? readFileSync(abs, 'utf8') : null;
    this.cache.set(path, body);
    return body;
  }

  /** The repository path a document name means when written in `file`, or null if none. */
  private resolveDoc(name: string, file: string): string | null {
    if (name.startsWith('docs/')) return name;
    // A bare NAME.md is a relative link inside a Markdown file, or a file beside the citing one.
    const beside = normalize(join(dirname(file), name));
    if (this.read(beside) !== null) return beside;
    return null;
  }

  check(file: string, text: string): CitationProblem[] {
    const problems: CitationProblem[] = [];
    const lines = text.split('\n');
    const own = file.endsWith('.md') ? file : null;
    lines.forEach((line, i) => {
      const at = (problem: string) => problems.push({ file, line: i + 1, problem });
      for (const m of line.matchAll(GONE_PATTERN))
        at(`cites ${m[1]}, which is not in the repository`);
      let doc: string | null = null;
      for (const m of line.matchAll(TOKEN)) {
        const [, name, anchor, section, sectionWord] = m;
        if (name) {
          if (GONE.includes(name)) continue; // reported above
          if (line.slice(m.index - 2, m.index) === '](') continue; // a link: checked below
          const resolved = this.resolveDoc(name, file);
          if (!resolved) {
            if (name.startsWith('docs/')) at(`cites ${name}, which does not exist`);
            continue;
          }
          const body = this.read(resolved);
          if (body === null) {
            at(`cites ${name}, which does not exist`);
            continue;
          }
          doc = resolved;
          // In Markdown the link check below covers the anchor.
          if (anchor && !own && !anchorsOf(body).has(anchor))
            at(`cites ${name}#${anchor}; ${resolved} has no such heading`);
          continue;
        }
        const number = section ?? sectionWord ?? '';
        if (sectionWord && !doc) continue; // "section 3" alone is prose, not a citation
        const target = doc ?? own ?? DEFAULT_DOC;
        const body = this.read(target);
        if (body === null) at(`cites §${number} of ${target}, which does not exist`);
        else if (!sectionsOf(body).has(number))
          at(`cites §${number} of ${target}, which has no such section`);
      }
      // Markdown links to local files: [text](path) or [text](path#anchor)
      if (file.endsWith('.md')) {
        for (const m of line.matchAll(/\]\(([^)\s#]*)(?:#([^)\s]+))?\)/g)) {
          const [, target, anchor] = m;
          if (target === undefined || /^[a-z]+:/i.test(target)) continue;
          const path = target ? normalize(join(dirname(file), target)) : file;
          if (relative(this.repoRoot, join(this.repoRoot, path)).startsWith('..')) {
            at(`links outside the repository: ${target}`);
            continue;
          }
          const body = this.read(path);
          if (body === null && !existsSync(join(this.repoRoot, path)))
            at(`links to ${target}, which does not exist`);
          else if (anchor && body !== null && path.endsWith('.md') && !anchorsOf(body).has(anchor))
            at(`links to ${target || file}#${anchor}; there is no such heading`);
        }
      }
    });
    return problems;
  }
}
