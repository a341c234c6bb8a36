/**
 * The repository explains itself: every citation of a document or a section points at one that
 * exists in the repository, nothing cites the old reference documents that were never part of
 * it, and no message the program prints cites a document section.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { CitationChecker, sectionsOf, slugOf } from './citations.js';

const ROOT = join(import.meta.dirname, '..', '..');
const TEXT = /\.(ts|tsx|mjs|js|c|h|sh|md|json|ya?ml|cfg|txt)$|^run$/;

function walk(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(join(ROOT, dir))) {
    if (name === 'node_modules' || name === 'dist' || name === 'results') continue;
    if (join(dir, name) === join('test', 'docs')) continue; // the checker's own samples
    const path = join(dir, name);
    if (statSync(join(ROOT, path)).isDirectory()) walk(path, out);
    else if (TEXT.test(name)) out.push(path);
  }
  return out;
}

function repositoryFiles(): string[] {
  return [
    'README.md',
    ...['src', 'test', 'scripts', 'docs', 'examples', '.ci'].flatMap((d) => walk(d)),
  ];
}

describe('citations in the repository', () => {
  const checker = new CitationChecker(ROOT);

  it('all point at a document and a section that exist, and none at the old documents', () => {
    const problems = repositoryFiles().flatMap((file) =>
      checker.check(file, readFileSync(join(ROOT, file), 'utf8')),
    );
    expect(problems.map((p) => `${p.file}:${p.line}: ${p.problem}`)).toEqual([]);
  });

  it('checks enough to matter: the three documents have their numbered sections', () => {
    const read = (f: string) => readFileSync(join(ROOT, f), 'utf8');
    expect([...sectionsOf(read('docs/kernel-contract.md'))]).toEqual(
      expect.arrayContaining(['1', '2', '3', '4.1', '4.5', '4.8', '5', '6', '7', '8']),
    );
    expect([...sectionsOf(read('docs/architecture.md'))]).toEqual(
      expect.arrayContaining(['2', '3.1', '3.4', '4', '5', '6', '7', '8', '9']),
    );
    expect([...sectionsOf(read('docs/terminal-notes.md'))]).toEqual(
      expect.arrayContaining(['2', '3', '3.3', '3.6', '3.7', '5.1', '5.2', '6.2']),
    );
  });
});

describe('the citation checker', () => {
  const checker = new CitationChecker(ROOT);
  const problems = (file: string, text: string) => checker.check(file, text).map((p) => p.problem);

  it('refuses a section the cited document does not have', () => {
    expect(problems('src/x.ts', '// docs/kernel-contract.md §4.9')).toHaveLength(1);
    expect(problems('src/x.ts', '// docs/architecture.md §3.1, §12')).toHaveLength(1);
    expect(problems('src/x.ts', '// docs/kernel-contract.md §4.1, §4.5')).toEqual([]);
  });

  it('gives a bare § to the document named before it on the line, else the kernel contract', () => {
    expect(problems('src/x.ts', '// docs/architecture.md §4 (§3.1)')).toEqual([]);
    expect(problems('src/x.ts', '// see §3.1')).toHaveLength(1);
    expect(problems('src/x.ts', '// see §4.6')).toEqual([]);
  });

  it('refuses a document that does not exist, and the old reference documents by name', () => {
    expect(problems('src/x.ts', '// docs/nowhere.md')).toHaveLength(1);
    for (const gone of ['kernel-abi', 'design', 'ink-notes', 'peer-tools'])
      expect(problems('src/x.ts', `// ${gone}.md`)).toHaveLength(1);
  });

  it('checks Markdown links and their anchors', () => {
    const good = slugOf('4.1 The device node and open()');
    expect(problems('docs/x.md', `[a](kernel-contract.md#${good})`)).toEqual([]);
    expect(problems('docs/x.md', '[a](kernel-contract.md#no-such-heading)')).toHaveLength(1);
    expect(problems('docs/x.md', '[a](missing.md)')).toHaveLength(1);
  });
});

/** Every string a source file could print, with its line. */
function stringsOf(file: string): { line: number; text: string }[] {
  const source = ts.createSourceFile(
    file,
    readFileSync(join(ROOT, file), 'utf8'),
    ts.ScriptTarget.Latest,
    true,
    file.endsWith('.tsx') ? ts.ScriptKind.TSX : ts.ScriptKind.TS,
  );
  const out: { line: number; text: string }[] = [];
  const visit = (node: ts.Node) => {
    if (
      ts.isStringLiteral(node) ||
      ts.isNoSubstitutionTemplateLiteral(node) ||
      ts.isTemplateHead(node) ||
      ts.isTemplateMiddle(node) ||
      ts.isTemplateTail(node) ||
      ts.isJsxText(node)
    ) {
      const line = source.getLineAndCharacterOfPosition(node.getStart()).line + 1;
      out.push({ line, text: node.text });
    }
    node.forEachChild(visit);
  };
  visit(source);
  return out;
}

describe('messages the program prints', () => {
  const CITES = /§\s?\d|\b(kernel-contract|architecture|terminal-notes)\.md/;

  it('never cite a document section', () => {
    const sources = walk('src').filter((f) => /\.tsx?$/.test(f));
    expect(sources.length).toBeGreaterThan(50);
    const citing = sources.flatMap((file) =>
      stringsOf(file)
        .filter((s) => CITES.test(s.text))
        .map((s) => `${relative(ROOT, join(ROOT, file))}:${s.line}: ${s.text}`),
    );
    expect(citing).toEqual([]);
  });
});
