/**
 * FNV-1a, 64-bit (http://www.isthe.com/chongo/tech/comp/fnv/): offset basis 0xcbf29ce484222325,
 * prime 0x100000001b3 = 2^40 + 0x1b3, over the UTF-8 bytes of `text`. Not cryptographic: it names
 * a node's state compactly and stably, which is all the store needs.
 *
 * Computed on two 32-bit halves so it stays exact in doubles (no BigInt per byte):
 * h * prime = h * 0x1b3 + (h << 40), and (h << 40) only touches the high half, as lo << 8.
 */
export function hashFnv1a64(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let hi = 0xcbf29ce4;
  let lo = 0x84222325;
  for (const byte of bytes) {
    lo = (lo ^ byte) >>> 0;
    const loProduct = lo * 0x1b3;
    const hiProduct = hi * 0x1b3 + lo * 0x100 + Math.floor(loProduct / 0x1_0000_0000);
    lo = loProduct >>> 0;
    hi = hiProduct >>> 0;
  }
  return hi.toString(16).padStart(8, '0') + lo.toString(16).padStart(8, '0');
}
