// Base64 -> bytes without Node's Buffer or the DOM's atob, so the package stays platform-neutral.
const LOOKUP = (() => {
  const table = new Uint8Array(128).fill(255);
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  for (let i = 0; i < alphabet.length; i++) table[alphabet.charCodeAt(i)] = i;
  return table;
})();

/** Decodes standard padded base64. Throws on a character outside the alphabet (generated input only). */
export const decodeBase64 = (text: string): Uint8Array => {
  let end = text.length;
  while (end > 0 && text.charCodeAt(end - 1) === 61 /* = */) end--;
  const out = new Uint8Array(Math.floor((end * 3) / 4));
  let acc = 0;
  let bits = 0;
  let o = 0;
  for (let i = 0; i < end; i++) {
    const v = LOOKUP[text.charCodeAt(i)] ?? 255;
    if (v === 255) throw new Error(`decodeBase64: bad character at ${i}`);
    acc = (acc << 6) | v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (acc >> bits) & 0xff;
    }
  }
  return out;
};
