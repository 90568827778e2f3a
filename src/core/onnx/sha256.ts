/** The structural part of Web Crypto used here: Node 20 and workers both have globalThis.crypto.subtle. */
interface SubtleDigest {
  digest(algorithm: string, data: Uint8Array): Promise<ArrayBuffer>;
}

/** SHA-256 of the bytes (a Float32Array's bytes as stored), as 64 lowercase hex digits. */
export async function sha256Hex(bytes: Uint8Array | Float32Array): Promise<string> {
  const subtle = (globalThis as { crypto?: { subtle?: SubtleDigest } }).crypto?.subtle;
  if (!subtle) throw new Error('SHA-256 needs crypto.subtle, which this environment lacks');
  const view = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const digest = new Uint8Array(await subtle.digest('SHA-256', view));
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
}
