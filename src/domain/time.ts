/** The API's timestamps are integer Unix seconds. */
export function unixNow(): number {
  return Math.floor(Date.now() / 1000);
}
