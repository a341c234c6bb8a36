/**
 * A small terminal emulator for the sequences Ink writes (cursor up, next line, column, erase,
 * clear, SGR, synchronized output), so a test can see the screen a user would see, including
 * lines a renderer failed to rewrite.
 */
const ESC = String.fromCharCode(27);

export class VirtualTerminal {
  private grid: string[][];
  /** the effective SGR attributes of each cell, as a canonical string */
  private styles: string[][];
  private attrs = new Map<string, string>();
  private row = 0;
  private col = 0;

  constructor(
    readonly columns: number,
    readonly rows: number,
  ) {
    this.grid = Array.from({ length: rows }, () => this.blank());
    this.styles = Array.from({ length: rows }, () => this.blankStyles());
  }

  private blankStyles(): string[] {
    return Array.from({ length: this.columns }, () => '');
  }

  /** SGR parameters into attributes: enough of ECMA-48 for what chalk writes. */
  private sgr(params: string): void {
    const codes = params === '' ? [0] : params.split(';').map(Number);
    for (let i = 0; i < codes.length; i++) {
      const c = codes[i] ?? 0;
      if (c === 0) this.attrs.clear();
      else if (c === 1 || c === 2) this.attrs.set('weight', String(c));
      else if (c === 22) this.attrs.delete('weight');
      else if (c >= 3 && c <= 9) this.attrs.set(`a${c}`, '1');
      else if (c >= 23 && c <= 29) this.attrs.delete(`a${c - 20}`);
      else if (c === 38 || c === 48) {
        const span = codes[i + 1] === 5 ? 2 : 4;
        this.attrs.set(c === 38 ? 'fg' : 'bg', codes.slice(i + 1, i + 1 + span).join(':'));
        i += span;
      } else if (c === 39) this.attrs.delete('fg');
      else if (c === 49) this.attrs.delete('bg');
      else if ((c >= 30 && c <= 37) || (c >= 90 && c <= 97)) this.attrs.set('fg', String(c));
      else if ((c >= 40 && c <= 47) || (c >= 100 && c <= 107)) this.attrs.set('bg', String(c));
    }
  }

  private currentStyle(): string {
    return [...this.attrs]
      .sort()
      .map(([k, v]) => `${k}=${v}`)
      .join(',');
  }

  private blank(): string[] {
    return Array.from({ length: this.columns }, () => ' ');
  }

  private lineFeed(): void {
    this.col = 0;
    if (this.row === this.rows - 1) {
      this.grid.shift();
      this.grid.push(this.blank());
      this.styles.shift();
      this.styles.push(this.blankStyles());
    } else this.row++;
  }

  private csi(params: string, final: string): void {
    const n = Number.parseInt(params, 10);
    const count = Number.isNaN(n) ? 1 : n;
    const line = this.grid[this.row] ?? this.blank();
    const styles = this.styles[this.row] ?? this.blankStyles();
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
        if (params === '2') {
          line.fill(' ');
          styles.fill('');
        } else
          for (let c = this.col; c < this.columns; c++) {
            line[c] = ' ';
            styles[c] = '';
          }
        return;
      case 'J':
        if (params === '2' || params === '3') {
          this.grid = this.grid.map(() => this.blank());
          this.styles = this.styles.map(() => this.blankStyles());
        }
        return;
      case 'm':
        this.sgr(params);
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
        const styles = this.styles[this.row];
        if (styles) styles[this.col] = this.currentStyle();
        this.col++;
      }
      i += ch.length;
    }
  }

  screen(): string[] {
    return this.grid.map((line) => line.join('').trimEnd());
  }

  /** Each row as cells `char{style}`, for comparing what two byte streams draw, colours included. */
  styledScreen(): string[] {
    return this.grid.map((line, r) =>
      line
        .map((ch, c) => {
          const style = this.styles[r]?.[c] ?? '';
          return ch === ' ' && style === '' ? ' ' : `${ch}{${style}}`;
        })
        .join('')
        .trimEnd(),
    );
  }
}
