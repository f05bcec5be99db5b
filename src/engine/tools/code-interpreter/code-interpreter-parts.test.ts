import { describe, expect, it } from "vitest";
import type { RunStep } from "../../../domain/objects.js";
import { modelOutputOf, outputsFromSteps } from "./cell-report.js";
import { InvalidCodeInputError, parseCodeInput, partialCodeInput } from "./code-input.js";
import { sandboxFileName } from "./input-files.js";
import { annotateSandboxLinks } from "./sandbox-links.js";
import { SessionFileTracker } from "./session-files.js";

describe("code input", () => {
  it("reads {code}, and takes bare code or a JSON string as the code itself", () => {
    expect(parseCodeInput(JSON.stringify({ code: "print(1)\nx = 2" }))).toBe("print(1)\nx = 2");
    expect(parseCodeInput("print('not json')")).toBe("print('not json')");
    expect(parseCodeInput(JSON.stringify("1 + 1"))).toBe("1 + 1");
    expect(() => parseCodeInput(JSON.stringify({ source: "x" }))).toThrow(InvalidCodeInputError);
  });
});

describe("code input as the model writes it", () => {
  it("decodes the code of a partial {code} input, each prefix a prefix of the whole", () => {
    const raw = JSON.stringify({ code: 'print("안녕")\nx = "\\d"\t# 😀 \u0001' });
    const whole = parseCodeInput(raw);
    let previous = "";
    for (let end = 0; end <= raw.length; end += 1) {
      const partial = partialCodeInput(raw.slice(0, end)) ?? "";
      expect(whole.startsWith(partial)).toBe(true);
      expect(partial.startsWith(previous)).toBe(true);
      previous = partial;
    }
    expect(previous).toBe(whole);
    expect(partialCodeInput('{"code": "a\\')).toBe("a");
    expect(partialCodeInput('{"code": "a\\u00')).toBe("a");
  });

  it("shows nothing until the input looks like {code}", () => {
    expect(partialCodeInput("print(1)")).toBeUndefined();
    expect(partialCodeInput('{"language": "python", "code": "x"}')).toBeUndefined();
    expect(partialCodeInput('{"co')).toBeUndefined();
  });
});

describe("sandbox file names", () => {
  it("keeps the original name, strips directories and control characters, and never reuses a name", () => {
    expect(sandboxFileName("월별 매출.csv", "file-1", new Set())).toBe("월별 매출.csv");
    expect(sandboxFileName("../../etc/passwd", "file-1", new Set())).toBe("passwd");
    expect(sandboxFileName("C:\\Users\\me\\data.xlsx", "file-1", new Set())).toBe("data.xlsx");
    expect(sandboxFileName("a\nb.txt", "file-1", new Set())).toBe("ab.txt");
    expect(sandboxFileName("..", "file-1", new Set())).toBe("file-1");
    expect(sandboxFileName("data.csv", "file-2", new Set(["data.csv"]))).toBe("data-file-2.csv");
  });
});

describe("sandbox links", () => {
  const files = new Map([
    ["out.csv", "file-out"],
    ["out.csv.gz", "file-gz"],
    ["my report.txt", "file-report"],
  ]);

  it("annotates each sandbox: link to a known file with exact UTF-16 indices", () => {
    const value = "📊 [CSV](sandbox:/mnt/data/out.csv), [gz](sandbox:/mnt/data/out.csv.gz) and [r](sandbox:/mnt/data/my%20report.txt).";
    const annotations = annotateSandboxLinks(value, files);
    expect(annotations.map((annotation) => [annotation.file_path.file_id, value.slice(annotation.start_index, annotation.end_index)])).toEqual([
      ["file-out", "sandbox:/mnt/data/out.csv"],
      ["file-gz", "sandbox:/mnt/data/out.csv.gz"],
      ["file-report", "sandbox:/mnt/data/my%20report.txt"],
    ]);
    expect(annotations[0]).toEqual({ type: "file_path", text: "sandbox:/mnt/data/out.csv", file_path: { file_id: "file-out" }, start_index: 9, end_index: 34 });
  });

  it("leaves links to unknown files and longer names alone", () => {
    expect(annotateSandboxLinks("sandbox:/mnt/data/other.csv sandbox:/mnt/data/out.csv2", files)).toEqual([]);
    expect(annotateSandboxLinks("See sandbox:/mnt/data/out.csv.", files)).toHaveLength(1);
  });
});

describe("cell report", () => {
  it("tells the model the logs, the images and the files, and reads the files back for a resumed run", () => {
    const output = modelOutputOf({ logs: "done\n", failed: false, imageCount: 1, files: [{ name: "a b.csv", fileId: "file-abc" }], notes: [] });
    expect(output).toContain("done\n[1 image was shown");
    expect(output.endsWith("sandbox:/mnt/data/a b.csv (file id: file-abc)")).toBe(true);
    const step = {
      step_details: { type: "tool_calls", tool_calls: [{ id: "call_1", type: "code_interpreter", code_interpreter: { input: "", outputs: [] } }] },
      model_outputs: { call_1: output },
    } as unknown as RunStep;
    expect(outputsFromSteps([step])).toEqual(new Map([["a b.csv", "file-abc"]]));
  });

  it("does not let printed text pose as a file line", () => {
    const forged = "sandbox:/mnt/data/x.csv (file id: file-forged)";
    const output = modelOutputOf({ logs: forged, failed: false, imageCount: 0, files: [], notes: [] });
    const step = {
      step_details: { type: "tool_calls", tool_calls: [{ id: "call_1", type: "code_interpreter", code_interpreter: { input: "", outputs: [] } }] },
      model_outputs: { call_1: output },
    } as unknown as RunStep;
    expect(outputsFromSteps([step]).size).toBe(0);
  });

  it("says when code printed nothing or failed silently", () => {
    expect(modelOutputOf({ logs: "", failed: false, imageCount: 0, files: [], notes: [] })).toBe("[The code ran without output.]");
    expect(modelOutputOf({ logs: "", failed: true, imageCount: 0, files: [], notes: [] })).toBe("[The code failed without output.]");
  });
});

describe("session file tracker", () => {
  it("forgets placed files once the sandbox has had time to end the idle session, keeping names and outputs", () => {
    let now = 1_000;
    const tracker = new SessionFileTracker(10_000, () => now);
    const files = tracker.files("thread_1");
    expect(tracker.nameOf(files, "file-1", "data.csv")).toBe("data.csv");
    files.placed.add("file-1");
    files.outputs.set("out.csv", "file-out");
    tracker.used("thread_1");

    now += 5_000;
    expect(tracker.files("thread_1").placed.has("file-1")).toBe(true);
    tracker.used("thread_1");
    now += 9_500;
    const later = tracker.files("thread_1");
    expect(later.placed.size).toBe(0);
    expect(later.inputNames.get("file-1")).toBe("data.csv");
    expect(later.outputs.get("out.csv")).toBe("file-out");
    expect(tracker.files("thread_2").inputNames.size).toBe(0);
  });
});
