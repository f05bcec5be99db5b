const HEADER_BYTES = 4;

export class FrameTooLargeError extends Error {
  override name = "FrameTooLargeError";
}

/** Splits a byte stream into frames of a 4-byte big-endian length followed by that many bytes. */
export class FrameReader {
  private pending: Buffer[] = [];
  private pendingBytes = 0;

  /** `maxFrameBytes` stops a hostile peer from making the host buffer without bound. */
  constructor(private readonly maxFrameBytes: number) {}

  /** Returns the frames completed by `chunk`; throws FrameTooLargeError when a header announces too much. */
  push(chunk: Buffer): Buffer[] {
    this.pending.push(chunk);
    this.pendingBytes += chunk.length;
    const frames: Buffer[] = [];
    while (this.pendingBytes >= HEADER_BYTES) {
      if (this.pending[0]!.length < HEADER_BYTES) this.pending = [Buffer.concat(this.pending)];
      const size = this.pending[0]!.readUInt32BE(0);
      if (size > this.maxFrameBytes) throw new FrameTooLargeError(`frame of ${size} bytes exceeds ${this.maxFrameBytes}`);
      // Concatenating only once the frame is complete keeps large frames linear in their size.
      if (this.pendingBytes < HEADER_BYTES + size) break;
      const buffered = Buffer.concat(this.pending);
      frames.push(buffered.subarray(HEADER_BYTES, HEADER_BYTES + size));
      const rest = buffered.subarray(HEADER_BYTES + size);
      this.pending = rest.length > 0 ? [rest] : [];
      this.pendingBytes = rest.length;
    }
    return frames;
  }
}

export function encodeFrame(payload: Buffer): Buffer {
  const header = Buffer.alloc(HEADER_BYTES);
  header.writeUInt32BE(payload.length, 0);
  return Buffer.concat([header, payload]);
}
