import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, it } from "vitest";
import { LocalFiles } from "./local-files.js";

function tree(files: Record<string, string>): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "spool-originals-"));
  for (const [name, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
    fs.writeFileSync(path.join(root, name), content);
  }
  return root;
}

it("matches a File by a folder named by its id first, else by filename and exact size, and never guesses", async () => {
  const root = tree({
    "file-byid/notes.txt": "from the export",
    "a/notes.txt": "same size here!",
    "a/data.csv": "1,2\n",
    "b/data.csv": "3,4\n",
    "c/report.md": "# a report\n",
  });
  const files = await LocalFiles.scan(root);
  expect(files.match({ id: "file-byid", filename: "notes.txt", bytes: 15 })).toEqual({ kind: "found", file: { path: path.join(root, "file-byid", "notes.txt"), size: 15 } });
  expect(files.match({ id: "file-other", filename: "/mnt/data/report.md", bytes: 11 })).toEqual({ kind: "found", file: { path: path.join(root, "c", "report.md"), size: 11 } });
  expect(files.match({ id: "file-csv", filename: "data.csv", bytes: 4 })).toEqual({
    kind: "unusable",
    note: "2 files named data.csv have 4 bytes; put the right one in a folder named file-csv",
  });
  expect(files.match({ id: "file-md", filename: "report.md", bytes: 99 })).toEqual({ kind: "unusable", note: "found report.md, but not with the File's 99 bytes" });
  expect(files.match({ id: "file-byid", filename: "notes.txt", bytes: 3 })).toEqual({
    kind: "unusable",
    note: `${path.join(root, "file-byid", "notes.txt")} has 15 bytes, the File 3`,
  });
  expect(files.match({ id: "file-none", filename: "absent.pdf", bytes: 1 })).toEqual({ kind: "none" });
});
