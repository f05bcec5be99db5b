/** One scrape of a Prometheus text exposition, read the way a test asks about it. */
export interface Scrape {
  /** The sum of the samples named `name` whose labels include `labels` (0 when there is none). */
  value(name: string, labels?: Record<string, string>): number;
  /** Every sample line, for checks over all label values. */
  readonly lines: string[];
}

function labelsOf(text: string | undefined): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const match of (text ?? "").matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) labels[match[1]!] = match[2]!;
  return labels;
}

export function parseScrape(body: string): Scrape {
  const samples = body
    .split("\n")
    .filter((line) => line.length > 0 && !line.startsWith("#"))
    .flatMap((line) => {
      const match = /^(\w+)(?:\{(.*)\})? (\S+)$/.exec(line);
      return match ? [{ name: match[1]!, labels: labelsOf(match[2]), value: Number(match[3]) }] : [];
    });
  return {
    lines: body.split("\n").filter((line) => line.length > 0 && !line.startsWith("#")),
    value: (name, labels = {}) =>
      samples
        .filter((sample) => sample.name === name && Object.entries(labels).every(([key, value]) => sample.labels[key] === value))
        .reduce((sum, sample) => sum + sample.value, 0),
  };
}

/** GETs `/metrics` of the server at `url`. */
export async function scrape(url: string, adminKey?: string): Promise<Scrape> {
  const response = await fetch(`${url}/metrics`, adminKey ? { headers: { authorization: `Bearer ${adminKey}` } } : {});
  if (!response.ok) throw new Error(`/metrics answered ${response.status}`);
  return parseScrape(await response.text());
}
