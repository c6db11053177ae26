// The PRNG and the small pure helpers the table generators share.

/** mulberry32: tiny, fast and plenty random for demo data; not for anything secret. */
export class Random {
  #state: number;

  constructor(seed: number, stream: string) {
    // FNV-1a over the stream name gives every table an independent sequence from the one seed.
    let h = 0x811c9dc5 ^ seed;
    for (let i = 0; i < stream.length; i++) h = Math.imul(h ^ stream.charCodeAt(i), 0x01000193);
    this.#state = h >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.#state = (this.#state + 0x6d2b79f5) | 0;
    let t = this.#state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Integer in [min, max], both inclusive. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** Integer in [startMs, endMs). */
  between(startMs: number, endMs: number): number {
    return startMs + Math.floor(this.next() * (endMs - startMs));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  /** Standard normal (Box-Muller). */
  normal(): number {
    return Math.sqrt(-2 * Math.log(1 - this.next())) * Math.cos(2 * Math.PI * this.next());
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error("pick from an empty list");
    return items[Math.floor(this.next() * items.length)] as T;
  }

  /** Up to `n` distinct items, in random order. */
  sample<T>(items: readonly T[], n: number): T[] {
    const copy = [...items];
    const out: T[] = [];
    while (out.length < n && copy.length > 0) out.push(copy.splice(Math.floor(this.next() * copy.length), 1)[0] as T);
    return out;
  }

  weighted<T>(entries: readonly (readonly [T, number])[]): T {
    const total = entries.reduce((sum, [, w]) => sum + w, 0);
    let x = this.next() * total;
    for (const [value, weight] of entries) {
      x -= weight;
      if (x < 0) return value;
    }
    return (entries.at(-1) as readonly [T, number])[0];
  }

  hex(length: number): string {
    let out = "";
    while (out.length < length)
      out += Math.floor(this.next() * 0x1_0000_0000)
        .toString(16)
        .padStart(8, "0");
    return out.slice(0, length);
  }

  /** A UUIDv7 (RFC 9562) for the given time, so ids sort like the createdAt they were minted with. */
  uuidV7(ms: number): string {
    const time = ms.toString(16).padStart(12, "0");
    const variant = (8 + this.int(0, 3)).toString(16);
    const rand = this.hex(18);
    return `${time.slice(0, 8)}-${time.slice(8)}-7${rand.slice(0, 3)}-${variant}${rand.slice(3, 6)}-${rand.slice(6)}`;
  }
}

/** A word list written as one space-separated string, so the formatter keeps it on a line or two. */
export function words(list: string): readonly string[] {
  return list.split(/\s+/).filter(Boolean);
}

export function clamp(x: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, x));
}

export function slugify(text: string): string {
  return text
    .toLowerCase()
    .replace(/'/g, "")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");
}

export function titleCase(text: string): string {
  return text.replace(/\b[a-z]/g, (c) => c.toUpperCase());
}

/** How many items of `sorted` (ascending by createdMs) were created strictly before `ms`. */
export function upperBound(sorted: readonly { createdMs: number }[], ms: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] as { createdMs: number }).createdMs < ms) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
