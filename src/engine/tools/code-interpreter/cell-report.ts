import type { RunStep } from "../../../domain/objects.js";
import { sandboxLink } from "./sandbox-links.js";

/** A file the cell wrote, saved as a File. */
export interface SavedOutput {
  name: string;
  fileId: string;
}

/**
 * The file list ends the model output, one line per file; `outputsFromSteps` reads it back when a run
 * resumes. Only what follows the last header counts, so lines the code printed cannot pose as files.
 */
const filesHeader = "[Files written.";
const fileLinePattern = /^(sandbox:\/mnt\/data\/.+) \(file id: (file-[A-Za-z0-9]+)\)$/gmu;

function fileLine(file: SavedOutput): string {
  return `${sandboxLink(file.name)} (file id: ${file.fileId})`;
}

/** What the model is told a cell did: its logs, then what was shown to the user and which files it can link. */
export function modelOutputOf(cell: { logs: string; failed: boolean; imageCount: number; files: SavedOutput[]; notes: string[] }): string {
  const parts: string[] = [...cell.notes];
  if (cell.logs.length > 0) parts.push(cell.logs.replace(/\n$/u, ""));
  else if (cell.failed) parts.push("[The code failed without output.]");
  else if (cell.imageCount === 0 && cell.files.length === 0) parts.push("[The code ran without output.]");
  if (cell.imageCount > 0) {
    parts.push(`[${cell.imageCount === 1 ? "1 image was" : `${cell.imageCount} images were`} shown to the user with your answer; there is no need to link or describe how to open it.]`);
  }
  const [first] = cell.files;
  if (first) {
    const example = `[${first.name}](${sandboxLink(first.name)})`;
    parts.push(`${filesHeader} To give them to the user, link them in your answer by their sandbox: path, e.g. ${example}.]`, ...cell.files.map(fileLine));
  }
  return parts.join("\n");
}

/** The files earlier cells of this run wrote, read back from what the model was told (for a resumed run). */
export function outputsFromSteps(steps: RunStep[]): Map<string, string> {
  const outputs = new Map<string, string>();
  for (const step of steps) {
    if (step.step_details.type !== "tool_calls") continue;
    for (const call of step.step_details.tool_calls) {
      if (call.type !== "code_interpreter") continue;
      const output = step.model_outputs[call.id] ?? "";
      const header = output.lastIndexOf(filesHeader);
      if (header === -1) continue;
      for (const match of output.slice(header).matchAll(fileLinePattern)) {
        if (match[1] && match[2]) outputs.set(match[1].slice("sandbox:/mnt/data/".length), match[2]);
      }
    }
  }
  return outputs;
}
