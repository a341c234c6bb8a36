/**
 * The crash-consistent journal (docs/architecture.md §6): `<state-dir>/journal.jsonl`, one JSON object per
 * line. Appends go through one queue and are fsync'ed; progress checkpoints are queued without
 * waiting, so they never sit on the 3-second path between two ioctls. A torn last line (the
 * process died mid-write) is tolerated and reported, never fatal.
 */
import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { ownedDir } from '../safe-fs/owned-dir.js';
import { checkOwnedFile, linkRefusal, readOwnedFile } from '../safe-fs/owned-file.js';
import { recordProblem } from './record-shape.js';
import { isTerminal, type Attempt, type JournalRecord, type StartRecord } from './records.js';

export const JOURNAL_FILE = 'journal.jsonl';

export interface JournalProblem {
  /** 1-based line number */
  readonly line: number;
  readonly kind: 'torn-last-line' | 'unparsable-line' | 'unknown-record' | 'invalid-record';
  /** the start of the line, as it was (JSON output keeps it exact; text shows it escaped) */
  readonly text: string;
  /** for an invalid record: the first field that is wrong, in words */
  readonly reason?: string;
}

export interface JournalContents {
  readonly records: readonly JournalRecord[];
  readonly problems: readonly JournalProblem[];
}

/** `unknown-record` for what is not a record of ours at all; `invalid-record` for a bad one. */
function kindOf(value: unknown): JournalProblem['kind'] {
  const v = value as { type?: unknown; id?: unknown } | null;
  const ours =
    typeof v === 'object' && v !== null && typeof v.type === 'string' && typeof v.id === 'string';
  return ours ? 'invalid-record' : 'unknown-record';
}

/** Parse journal text, checking each record's shape (record-shape.ts); never throws. */
export function parseJournal(text: string): JournalContents {
  const records: JournalRecord[] = [];
  const problems: JournalProblem[] = [];
  const lines = text.split('\n');
  const endsWithNewline = text.endsWith('\n');
  lines.forEach((line, index) => {
    if (line.trim() === '') return;
    const last = index === lines.length - 1;
    try {
      const value: unknown = JSON.parse(line);
      const reason = recordProblem(value);
      if (reason === null) records.push(value as JournalRecord);
      else
        problems.push({ line: index + 1, kind: kindOf(value), text: line.slice(0, 200), reason });
    } catch {
      const kind = last && !endsWithNewline ? 'torn-last-line' : 'unparsable-line';
      problems.push({ line: index + 1, kind, text: line.slice(0, 200) });
    }
  });
  return { records, problems };
}

/** One problem in words, for a warning or a note: `journal line 4: … ; ignored`. */
export function describeJournalProblem(problem: JournalProblem): string {
  const what =
    problem.kind === 'torn-last-line'
      ? 'a torn last line (a writer was killed mid-write)'
      : problem.kind === 'invalid-record'
        ? `not a valid record (${problem.reason ?? 'a field is wrong'})`
        : 'not a journal record';
  return `journal line ${problem.line}: ${what}; ignored`;
}

/**
 * The journal's text; a missing journal is empty. Throws when it cannot be read, and when it is
 * not ours alone (a link, a FIFO, another user's file): its records would be trusted by recover.
 */
function readJournalText(path: string): string {
  return readOwnedFile(path, 'journal')?.toString('utf8') ?? '';
}

/** Read and parse the journal; a missing journal is empty. Throws when it cannot be read. */
export function readJournal(stateDir: string): JournalContents {
  return parseJournal(readJournalText(join(stateDir, JOURNAL_FILE)));
}

export interface JournalRead extends JournalContents {
  /** why the journal could not be read at all, or null */
  readonly unreadable: Error | null;
}

/**
 * Like readJournal, but a journal that cannot be read (a folder in its place, a path through a
 * regular file, no permission) is an answer, not an exception: no records, and the error.
 */
export function tryReadJournal(stateDir: string): JournalRead {
  try {
    return { ...readJournal(stateDir), unreadable: null };
  } catch (error) {
    return {
      records: [],
      problems: [],
      unreadable: error instanceof Error ? error : new Error(String(error)),
    };
  }
}

/** Group records into attempts, oldest first. */
export function attemptsOf(records: readonly JournalRecord[]): Attempt[] {
  const byId = new Map<
    string,
    { start: StartRecord; lastProgress: Attempt['lastProgress']; terminal: Attempt['terminal'] }
  >();
  for (const record of records) {
    if (record.type === 'start') {
      byId.set(record.id, { start: record, lastProgress: null, terminal: null });
      continue;
    }
    const attempt = byId.get(record.id);
    if (!attempt) continue;
    if (record.type === 'progress') attempt.lastProgress = record;
    else if (isTerminal(record) && attempt.terminal === null) attempt.terminal = record;
  }
  return [...byId.values()];
}

/** Appends records to the journal, in order, each fsync'ed. */
export class JournalWriter {
  private queue: Promise<void> = Promise.resolve();
  private handle: FileHandle | null = null;
  private failure: Error | null = null;

  private constructor(readonly path: string) {}

  static async open(stateDir: string): Promise<JournalWriter> {
    ownedDir(stateDir, { create: true, what: 'state directory' });
    const writer = new JournalWriter(join(stateDir, JOURNAL_FILE));
    // O_NONBLOCK: a FIFO in the journal's place fails (ENXIO) instead of waiting for a reader.
    // O_NOFOLLOW: never append through a link; then only a regular file of ours (0600).
    const { O_WRONLY, O_APPEND, O_CREAT, O_NONBLOCK, O_NOFOLLOW } = constants;
    const handle = await open(
      writer.path,
      O_WRONLY | O_APPEND | O_CREAT | O_NONBLOCK | O_NOFOLLOW,
      0o600,
    ).catch((error: NodeJS.ErrnoException) => {
      throw error.code === 'ELOOP' ? linkRefusal(writer.path, 'journal') : error;
    });
    try {
      const problem = checkOwnedFile(writer.path, await handle.stat(), 'journal');
      if (problem) throw problem;
      // A torn last line from a killed writer would swallow our first record: start on a new line.
      const { size } = await handle.stat();
      if (size > 0) {
        const last = Buffer.alloc(1);
        const reader = await open(writer.path, constants.O_RDONLY | O_NOFOLLOW | O_NONBLOCK);
        try {
          await reader.read(last, 0, 1, size - 1);
        } finally {
          await reader.close();
        }
        if (last[0] !== 0x0a) await handle.write('\n');
      }
    } catch (error) {
      await handle.close().catch(() => undefined);
      throw error;
    }
    writer.handle = handle;
    return writer;
  }

  /** Queue a record; resolves when it is on disk. Errors are kept and reported by `flush`. */
  append(record: JournalRecord): Promise<void> {
    const line = `${JSON.stringify(record)}\n`;
    this.queue = this.queue.then(async () => {
      if (!this.handle || this.failure) return;
      try {
        await this.handle.write(line);
        await this.handle.sync();
      } catch (error) {
        this.failure = error instanceof Error ? error : new Error(String(error));
      }
    });
    return this.queue;
  }

  /** The first write error, once one happened: every later record is dropped. */
  get failed(): Error | null {
    return this.failure;
  }

  /** Wait for every queued record; throws the first write error, if any. */
  async flush(): Promise<void> {
    await this.queue;
    if (this.failure) throw this.failure;
  }

  async close(): Promise<void> {
    await this.queue;
    await this.handle?.close();
    this.handle = null;
    if (this.failure) throw this.failure;
  }
}

/** `20261125T071530Z-3f9a2c1b`: sortable, unique enough for one machine. */
export function newAttemptId(now: Date = new Date(), random: () => string = defaultRandom): string {
  const stamp = now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  return `${stamp}-${random()}`;
}

function defaultRandom(): string {
  return randomBytes(4).toString('hex');
}
