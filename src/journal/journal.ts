/**
 * The crash-consistent journal (docs/architecture.md §6): `<state-dir>/journal.jsonl`, one JSON object per
 * line. Appends go through one queue and are fsync'ed; progress checkpoints are queued without
 * waiting, so they never sit on the 3-second path between two ioctls. A torn last line (the
 * process died mid-write) is tolerated and reported, never fatal.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, constants, fstatSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { isTerminal, type Attempt, type JournalRecord, type StartRecord } from './records.js';

export const JOURNAL_FILE = 'journal.jsonl';

export interface JournalProblem {
  /** 1-based line number */
  readonly line: number;
  readonly kind: 'torn-last-line' | 'unparsable-line' | 'unknown-record';
  readonly text: string;
}

export interface JournalContents {
  readonly records: readonly JournalRecord[];
  readonly problems: readonly JournalProblem[];
}

function isRecord(value: unknown): value is JournalRecord {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as { type?: unknown; id?: unknown };
  return typeof v.type === 'string' && typeof v.id === 'string';
}

/** Parse journal text; never throws. */
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
      if (isRecord(value)) records.push(value);
      else problems.push({ line: index + 1, kind: 'unknown-record', text: line.slice(0, 200) });
    } catch {
      const kind = last && !endsWithNewline ? 'torn-last-line' : 'unparsable-line';
      problems.push({ line: index + 1, kind, text: line.slice(0, 200) });
    }
  });
  return { records, problems };
}

/** The journal's text; a missing journal is empty. Throws when it cannot be read. */
function readJournalText(path: string): string {
  let fd: number;
  try {
    // O_NONBLOCK: a FIFO in the journal's place must not hang the program until a writer comes.
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return '';
    throw error;
  }
  try {
    // Only a regular file: a device (/dev/zero, /dev/full) would be read forever.
    const stats = fstatSync(fd);
    if (stats.isDirectory())
      throw Object.assign(new Error(`EISDIR: ${path} is a directory`), { code: 'EISDIR' });
    if (!stats.isFile())
      throw Object.assign(new Error(`${path} is not a regular file`), { code: 'ENOTREG' });
    return readFileSync(fd, 'utf8');
  } finally {
    closeSync(fd);
  }
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
    mkdirSync(stateDir, { recursive: true, mode: 0o700 });
    const writer = new JournalWriter(join(stateDir, JOURNAL_FILE));
    // O_NONBLOCK: a FIFO in the journal's place fails (ENXIO) instead of waiting for a reader.
    const { O_WRONLY, O_APPEND, O_CREAT, O_NONBLOCK } = constants;
    const handle = await open(writer.path, O_WRONLY | O_APPEND | O_CREAT | O_NONBLOCK, 0o600);
    try {
      // A torn last line from a killed writer would swallow our first record: start on a new line.
      const { size } = await handle.stat();
      if (size > 0) {
        const last = Buffer.alloc(1);
        const reader = await open(writer.path, 'r');
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
