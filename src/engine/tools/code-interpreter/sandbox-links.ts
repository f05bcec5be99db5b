import type { FilePathAnnotation } from "../../../domain/objects.js";

const linkPrefix = "sandbox:/mnt/data/";

/** How the model links a file it wrote, e.g. `sandbox:/mnt/data/report.csv`. */
export function sandboxLink(name: string): string {
  return `${linkPrefix}${name}`;
}

/**
 * Turns `sandbox:/mnt/data/<name>` links the model wrote into `file_path` annotations for the files the
 * code produced. `files` maps names under /mnt/data to File ids. Markdown links often percent-encode
 * spaces, so the encoded spelling of a name is matched too. At each link the longest known name wins
 * (`out.csv.gz` over `out.csv`). Indices are UTF-16 offsets, as JavaScript's `slice` counts, like the
 * file_search citations.
 */
export function annotateSandboxLinks(value: string, files: ReadonlyMap<string, string>): FilePathAnnotation[] {
  if (files.size === 0) return [];
  const spellings = [...files].flatMap(([name, fileId]) => {
    const encoded = encodeURI(name);
    return encoded === name ? [{ spelling: name, fileId }] : [{ spelling: name, fileId }, { spelling: encoded, fileId }];
  });
  spellings.sort((a, b) => b.spelling.length - a.spelling.length);
  const annotations: FilePathAnnotation[] = [];
  for (let start = value.indexOf(linkPrefix); start !== -1; start = value.indexOf(linkPrefix, start + 1)) {
    const rest = value.slice(start + linkPrefix.length);
    const match = spellings.find(({ spelling }) => rest.startsWith(spelling) && !continuesName(rest.charAt(spelling.length)));
    if (!match) continue;
    const end = start + linkPrefix.length + match.spelling.length;
    annotations.push({ type: "file_path", text: value.slice(start, end), file_path: { file_id: match.fileId }, start_index: start, end_index: end });
  }
  return annotations;
}

/** A character that would make the link name a different, longer name (so `a.csv` must not match `a.csv2`). */
function continuesName(next: string): boolean {
  return /[\w\-/%]/u.test(next);
}
