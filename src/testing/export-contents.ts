import fs from "node:fs";
import path from "node:path";

/**
 * Every file of an export directory by relative path, to compare two exports: JSON parsed and without
 * `exported_at` (the moment of each export differs), other files as text.
 */
export function exportContents(directory: string): Record<string, unknown> {
  const contents: Record<string, unknown> = {};
  for (const entry of fs.readdirSync(directory, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath, entry.name);
    const text = fs.readFileSync(file, "utf8");
    contents[path.relative(directory, file)] = file.endsWith(".json") ? JSON.parse(text, (key, value: unknown) => (key === "exported_at" ? undefined : value)) : text;
  }
  return contents;
}
