import path from "node:path";

export type FileKind = "pdf" | "docx" | "html" | "json" | "text";

// Plain-text formats are indexed verbatim: prose, data and source code (the OpenAI file_search list plus
// close relatives such as headers and config files).
const textExtensions = new Set([
  "txt", "text", "md", "markdown", "csv", "tsv", "log", "rst", "tex", "xml", "yaml", "yml", "toml", "ini",
  "c", "h", "cc", "cpp", "cxx", "hpp", "hh", "cs", "java", "kt", "kts", "scala", "swift", "go", "rs",
  "py", "rb", "php", "pl", "lua", "r", "sql", "sh", "bash", "zsh", "ps1", "bat",
  "js", "mjs", "cjs", "jsx", "ts", "mts", "cts", "tsx", "vue", "svelte", "css", "scss", "less",
]);

const kindByExtension = new Map<string, FileKind>([
  ["pdf", "pdf"],
  ["docx", "docx"],
  ["html", "html"],
  ["htm", "html"],
  ["json", "json"],
  ...[...textExtensions].map((extension): [string, FileKind] => [extension, "text"]),
]);

/** Classifies a file by its name's extension; `undefined` means file_search cannot index it. */
export function fileKindOf(filename: string): FileKind | undefined {
  const extension = path.extname(filename).slice(1).toLowerCase();
  return kindByExtension.get(extension);
}
