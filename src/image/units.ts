/** Byte counts and IDs as people read them. */

/** `28311552` -> `28,311,552` (digits grouped the same way in every locale). */
export function groupDigits(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** `28311552` -> `28,311,552 bytes (27.0 MiB)`; small sizes stay in bytes. */
export function formatBytes(n: number): string {
  const bytes = `${groupDigits(n)} byte${n === 1 ? '' : 's'}`;
  if (n < 1024) return bytes;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let value = n / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${bytes} (${value.toFixed(1)} ${units[unit]})`;
}

/** A PCI-style 16-bit ID: `0x1014`. */
export function hexId(n: number): string {
  return `0x${n.toString(16).padStart(4, '0')}`;
}
