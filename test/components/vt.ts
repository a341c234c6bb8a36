/**
 * A small terminal emulator for the sequences Ink writes (cursor up, next line, column, erase,
 * clear, SGR, synchronized output), so a test can see the screen a user would see, including
 * lines a renderer failed to rewrite.
 */
const ESC = String.fromCharCode(27);

export class VirtualTerminal {
  private grid: string[][];
  private row = 0;
  private col = 0;

  constructor(
    readonly columns: number,
    readonly rows: number,
  ) {
    this.grid = Array.from({ length: rows }, () => this.blank());
  }

  private blank(): string[] {
    return Array.from({ length: this.columns }, () => ' ');
  }

  private lineFeed(): void {
    this.col = 0;
    if (this.row === this.rows - 1) {
      this.grid.shift();
      this.grid.push(this.blank());
    } else this.row++;
  }

  private csi(params: string, final: string): void {
    const n = Number.parseInt(params, 10);
    const count = Number.isNaN(n) ? 1 : n;
    const line = this.grid[this.row] ?? this.blank();
    switch (final) {
      case 'A':
        this.row = Math.max(0, this.row - count);
        return;
      case 'B':
        this.row = Math.min(this.rows - 1, this.row + count);
        return;
      case 'E':
        this.row = Math.min(this.rows - 1, this.row + count);
        this.col = 0;
        return;
      case 'G':
        this.col = Math.max(0, count - 1);
        return;
      case 'H':
        this.row = 0;
        this.col = 0;
        return;
      case 'K':
        if (params === '2') line.fill(' ');
        else for (let c = this.col; c < this.columns; c++) line[c] = ' ';
        return;
      case 'J':
        if (params === '2' || params === '3') this.grid = this.grid.map(() => this.blank());
        return;
      default:
        return; // m (colour), h/l (modes): no effect on the text
    }
  }

  write(data: string): void {
    let i = 0;
    while (i < data.length) {
      const ch = data[i] as string;
      if (ch === ESC && data[i + 1] === '[') {
        let j = i + 2;
        while (j < data.length && !/[A-Za-z]/.test(data[j] as string)) j++;
        this.csi(data.slice(i + 2, j).replace(/^\?/, '?'), data[j] ?? '');
        i = j + 1;
        continue;
      }
      if (ch === '\n') this.lineFeed();
      else if (ch === '\r') this.col = 0;
      else {
        if (this.col >= this.columns) this.lineFeed();
        const line = this.grid[this.row];
        if (line) line[this.col] = ch;
        this.col++;
      }
      i += ch.length;
    }
  }

  screen(): string[] {
    return this.grid.map((line) => line.join('').trimEnd());
  }
}
