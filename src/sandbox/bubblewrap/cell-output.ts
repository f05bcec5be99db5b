/**
 * Collects one cell's printed output up to a character budget, keeping the head and the tail (where
 * tracebacks are) and counting what was dropped, so a flooding cell costs the host bounded memory.
 * It also watches for the end-of-cell marker the kernel writes once all output is flushed.
 */
export class CellOutput {
  private head = "";
  private tail: string[] = [];
  private tailChars = 0;
  private omittedChars = 0;
  /** Text that might be the start of the marker, held back until the next chunk decides. */
  private undecided = "";
  private ended = false;

  private readonly headBudget: number;
  private readonly tailBudget: number;

  constructor(private readonly maxChars: number, private readonly endMarker: string) {
    this.headBudget = Math.ceil(maxChars / 2);
    this.tailBudget = maxChars - this.headBudget;
  }

  get isEnded(): boolean {
    return this.ended;
  }

  /** Adds decoded output; text after the end marker is not part of this cell and is dropped. */
  write(text: string): void {
    if (this.ended) return;
    const combined = this.undecided + text;
    const markerAt = combined.indexOf(this.endMarker);
    if (markerAt >= 0) {
      this.keep(combined.slice(0, markerAt));
      this.undecided = "";
      this.ended = true;
      return;
    }
    const safeLength = Math.max(0, combined.length - (this.endMarker.length - 1));
    this.keep(combined.slice(0, safeLength));
    this.undecided = combined.slice(safeLength);
  }

  /** The collected text, with a note where the middle was cut. */
  text(): string {
    const tail = this.tail.join("") + (this.ended ? "" : this.undecided);
    if (this.omittedChars === 0) return this.head + tail;
    return `${this.head}\n[… ${this.omittedChars} characters omitted: output is limited to ${this.maxChars} characters …]\n${tail}`;
  }

  private keep(text: string): void {
    if (text.length === 0) return;
    const headRoom = this.headBudget - this.head.length;
    if (headRoom > 0) {
      this.head += text.slice(0, headRoom);
      text = text.slice(headRoom);
      if (text.length === 0) return;
    }
    this.tail.push(text);
    this.tailChars += text.length;
    while (this.tailChars > this.tailBudget) {
      const oldest = this.tail[0]!;
      const excess = this.tailChars - this.tailBudget;
      if (oldest.length <= excess) {
        this.tail.shift();
        this.tailChars -= oldest.length;
        this.omittedChars += oldest.length;
      } else {
        this.tail[0] = oldest.slice(excess);
        this.tailChars -= excess;
        this.omittedChars += excess;
      }
    }
  }
}
