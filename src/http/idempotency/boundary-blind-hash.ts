import { createHash, type Hash } from "node:crypto";

/**
 * SHA-256 of a multipart body with its boundary left out. The SDKs pick a new random boundary for every
 * attempt (fetch's FormData, httpx), so a retry of the same upload differs from the first only there.
 * The boundary never occurs inside the parts, so every occurrence is framing.
 */
export class BoundaryBlindHash {
  private readonly hash: Hash = createHash("sha256");
  private readonly boundary: Buffer;
  /** The end of the bytes seen so far, which may be the start of a boundary split between chunks. */
  private carry: Buffer = Buffer.alloc(0);

  constructor(boundary: string) {
    this.boundary = Buffer.from(boundary);
  }

  update(chunk: Uint8Array): void {
    const bytes = Buffer.concat([this.carry, chunk]);
    let position = 0;
    for (let found = bytes.indexOf(this.boundary, position); found !== -1; found = bytes.indexOf(this.boundary, position)) {
      this.hash.update(bytes.subarray(position, found));
      this.hash.update("\0boundary\0");
      position = found + this.boundary.length;
    }
    // Anything before this point cannot be the start of a boundary that is still arriving.
    const keep = Math.max(position, bytes.length - this.boundary.length + 1);
    this.hash.update(bytes.subarray(position, keep));
    this.carry = Buffer.from(bytes.subarray(keep));
  }

  digest(): string {
    this.hash.update(this.carry);
    return this.hash.digest("hex");
  }
}
