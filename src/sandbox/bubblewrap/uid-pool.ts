/** Hands out the uids of a contiguous range, lowest free first, so each live session has its own. */
export class UidPool {
  private readonly inUse = new Set<number>();

  constructor(private readonly first: number, private readonly size: number) {}

  take(): number {
    for (let uid = this.first; uid < this.first + this.size; uid += 1) {
      if (!this.inUse.has(uid)) {
        this.inUse.add(uid);
        return uid;
      }
    }
    throw new Error(`all ${this.size} sandbox uids from ${this.first} are in use`);
  }

  release(uid: number): void {
    this.inUse.delete(uid);
  }
}
