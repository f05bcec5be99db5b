import { readFile } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CodeSandbox } from "./code-sandbox.js";

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** Behaviour every CodeSandbox implementation must show; call from the implementation's test file. */
export function defineCodeSandboxContract(name: string, factory: () => Promise<CodeSandbox>): void {
  describe(`CodeSandbox contract: ${name}`, () => {
    let sandbox: CodeSandbox;
    let sessionCounter = 0;
    const newSession = () => `contract-${name}-${(sessionCounter += 1)}`;

    beforeAll(async () => {
      sandbox = await factory();
      expect(sandbox.status).toEqual({ available: true });
    });

    afterAll(async () => {
      await sandbox?.close();
    });

    it("returns what the code prints", async () => {
      const result = await sandbox.execute(newSession(), "print('hello from the sandbox')");
      expect(result).toEqual({ logs: "hello from the sandbox\n", images: [], files: [], failed: false });
    });

    it("shows the value of the last expression like a notebook cell", async () => {
      const result = await sandbox.execute(newSession(), "x = 6\nx * 7");
      expect(result.logs).toBe("42\n");
      expect(result.failed).toBe(false);
    });

    it("keeps variables between calls in one session", async () => {
      const session = newSession();
      await sandbox.execute(session, "greeting = 'kept'");
      const result = await sandbox.execute(session, "print(greeting)");
      expect(result.logs).toBe("kept\n");
    });

    it("does not share variables between sessions", async () => {
      await sandbox.execute(newSession(), "private_value = 1");
      const result = await sandbox.execute(newSession(), "print(private_value)");
      expect(result.failed).toBe(true);
      expect(result.logs).toContain("NameError");
    });

    it("puts files at /mnt/data/<name> with their exact bytes", async () => {
      const session = newSession();
      const content = new Uint8Array([0, 1, 2, 250, 255, 10, 13]);
      await sandbox.putFile(session, "input.bin", content);
      await sandbox.putFile(session, "nested/dir/data.txt", new TextEncoder().encode("nested"));
      const result = await sandbox.execute(session, "print(list(open('/mnt/data/input.bin', 'rb').read()))\nprint(open('/mnt/data/nested/dir/data.txt').read())");
      expect(result.logs).toBe("[0, 1, 2, 250, 255, 10, 13]\nnested\n");
      expect(result.files).toEqual([]);
    });

    it("reports files the code writes with a readable host path", async () => {
      const session = newSession();
      await sandbox.putFile(session, "untouched.txt", new TextEncoder().encode("input"));
      const result = await sandbox.execute(session, "import os\nos.makedirs('/mnt/data/out', exist_ok=True)\nopen('/mnt/data/out/report.csv', 'w').write('a,b\\n1,2\\n')");
      expect(result.failed).toBe(false);
      expect(result.files.map((file) => file.name)).toEqual(["out/report.csv"]);
      const [file] = result.files;
      expect(file?.bytes).toBe(8);
      expect(await readFile(file?.hostPath ?? "", "utf8")).toBe("a,b\n1,2\n");
    });

    it("returns a matplotlib chart with a Korean title as a PNG", async () => {
      const code = "import matplotlib.pyplot as plt\nplt.plot([1, 2, 3], [3, 1, 2])\nplt.title('월별 매출')\nplt.show()";
      const result = await sandbox.execute(newSession(), code);
      expect(result.failed).toBe(false);
      expect(result.logs).not.toContain("Glyph");
      expect(result.images).toHaveLength(1);
      expect([...(result.images[0] ?? []).slice(0, PNG_SIGNATURE.length)]).toEqual(PNG_SIGNATURE);
    });

    it("reports an exception with its traceback and keeps the session usable", async () => {
      const session = newSession();
      await sandbox.execute(session, "survivor = 'still here'");
      const failure = await sandbox.execute(session, "def divide():\n    return 1 / 0\ndivide()");
      expect(failure.failed).toBe(true);
      expect(failure.logs).toContain("Traceback");
      expect(failure.logs).toContain("ZeroDivisionError: division by zero");
      const after = await sandbox.execute(session, "survivor");
      expect(after).toMatchObject({ logs: "'still here'\n", failed: false });
    });

    it("forgets a session's variables and files once it has ended", async () => {
      const session = newSession();
      await sandbox.putFile(session, "temporary.txt", new TextEncoder().encode("gone soon"));
      await sandbox.execute(session, "remembered = True");
      await sandbox.endSession(session);
      await sandbox.endSession(session);
      const result = await sandbox.execute(session, "import os\nprint(os.listdir('/mnt/data'))\nprint('remembered' in globals())");
      expect(result.logs).toBe("[]\nFalse\n");
    });
  });
}
