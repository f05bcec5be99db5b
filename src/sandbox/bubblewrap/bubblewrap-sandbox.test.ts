import { execFileSync } from "node:child_process";
import { chmod, mkdir, mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { existsSync } from "node:fs";
import { createServer } from "node:net";
import type { AddressInfo, Server } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CodeSandbox } from "../code-sandbox.js";
import { defineCodeSandboxContract } from "../code-sandbox.contract.js";
import type { SandboxLimits } from "../sandbox-limits.js";
import { markerWritten, writeMarker } from "../../testing/sandbox-cell-marker.js";
import { UnavailableSandbox } from "../unavailable-sandbox.js";
import { BubblewrapSandbox, createBubblewrapSandbox } from "./bubblewrap-sandbox.js";

const TEST_LIMITS: Partial<SandboxLimits> = {
  cpuSeconds: 2,
  wallTimeoutMs: 5_000,
  maxProcesses: 32,
  maxOutputChars: 2_000,
};

/** A host dir standing in for Spool's data dir: it holds a secret and the sandbox root. */
async function makeHostDataDir(): Promise<string> {
  const hostDir = await mkdtemp(path.join(tmpdir(), "spool-sandbox-test-"));
  // bwrap runs as the sandbox uid and must traverse down to the scratch dirs it binds.
  await chmod(hostDir, 0o711);
  return hostDir;
}

const encode = (text: string) => new TextEncoder().encode(text);

const contractDirs: string[] = [];
defineCodeSandboxContract("bubblewrap", async () => {
  const hostDir = await makeHostDataDir();
  contractDirs.push(hostDir);
  return createBubblewrapSandbox({ rootDir: path.join(hostDir, "sandbox"), limits: TEST_LIMITS, firstUid: 1_900_100_000 });
});
afterAll(async () => {
  await Promise.all(contractDirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

describe("bubblewrap sandbox against hostile code", () => {
  let sandbox: CodeSandbox;
  let hostDir: string;
  let sessionCounter = 0;
  const newSession = () => `attack-${(sessionCounter += 1)}`;

  /** The server is unharmed: it can still spawn processes, and the sandbox serves a new cell. */
  async function expectServerUnharmed(session = newSession()): Promise<void> {
    expect(execFileSync("/bin/echo", ["host ok"], { encoding: "utf8" })).toBe("host ok\n");
    const result = await sandbox.execute(session, "print(sum(range(10)))");
    expect(result).toMatchObject({ logs: "45\n", failed: false });
  }

  beforeAll(async () => {
    hostDir = await makeHostDataDir();
    await writeFile(path.join(hostDir, "spool.db"), "TOP-SECRET-DATABASE");
    const limits = { ...TEST_LIMITS, cpuSeconds: 1 };
    sandbox = await createBubblewrapSandbox({ rootDir: path.join(hostDir, "sandbox"), limits, firstUid: 1_900_200_000 });
    expect(sandbox.status).toEqual({ available: true });
  });

  afterAll(async () => {
    await sandbox?.close();
    await rm(hostDir, { recursive: true, force: true });
  });

  it("stops an infinite loop at a limit and restarts the session fresh", async () => {
    const session = newSession();
    await sandbox.execute(session, "before = 1");
    const result = await sandbox.execute(session, "while True:\n    pass");
    expect(result.failed).toBe(true);
    // Which limit fires first depends on how busy the host is; the CPU limit alone is checked below.
    expect(result.logs).toMatch(/^(CPU time limit of 1 s exceeded|Execution timed out after 5 s)\. The Python session was reset: variables and imports are lost/);
    const after = await sandbox.execute(session, "print('before' in globals())");
    expect(after).toMatchObject({ logs: "False\n", failed: false });
    await expectServerUnharmed();
  });

  it("says so when a background thread hit the CPU limit between cells", async () => {
    const session = newSession();
    const started = await sandbox.execute(session, "import threading\ndef burn():\n    while True:\n        pass\nthreading.Thread(target=burn, daemon=True).start()");
    expect(started.failed).toBe(false);
    if (!(sandbox instanceof BubblewrapSandbox)) throw new Error("expected the bubblewrap sandbox");
    const bubblewrap = sandbox;
    // The thread burns its CPU second between cells; the kernel is gone once the limit has killed it.
    await expect.poll(() => bubblewrap.kernelPid(session), { timeout: 15_000 }).toBeUndefined();
    const next = await sandbox.execute(session, "print('fresh')");
    expect(next.logs).toMatch(/^\[Since the previous cell: CPU time limit of 1 s exceeded\. This cell ran in a new Python session/);
    expect(next.logs.endsWith("fresh\n")).toBe(true);
  });

  it("stops a cell that sleeps past the wall-clock limit", async () => {
    const session = newSession();
    const result = await sandbox.execute(session, "import time\ntime.sleep(600)");
    expect(result.failed).toBe(true);
    expect(result.logs).toContain("Execution timed out after 5 s");
    await expectServerUnharmed(session);
  });

  it("contains a memory bomb", async () => {
    const session = newSession();
    const huge = await sandbox.execute(session, "blob = bytearray(16 * 1024 ** 3)");
    expect(huge.failed).toBe(true);
    expect(huge.logs).toContain("MemoryError");
    // Big blocks reach the memory cap in a few allocations, long before the 1 s CPU limit (zero-filling
    // 64 MiB blocks one by one could use up the CPU second first on a busy machine).
    const growing = await sandbox.execute(session, "blocks = []\nwhile True:\n    blocks.append(bytearray(256 * 1024 ** 2))");
    expect(growing.failed).toBe(true);
    expect(growing.logs).toMatch(/MemoryError|killed|exited/);
    await sandbox.execute(session, "blocks = None");
    await expectServerUnharmed(session);
  });

  it("contains a fork bomb", async () => {
    const session = newSession();
    const counted = await sandbox.execute(session, [
      "import os, time",
      "children = 0",
      "try:",
      "    while True:",
      "        if os.fork() == 0:",
      "            time.sleep(60)",
      "            os._exit(0)",
      "        children += 1",
      "except OSError as error:",
      "    print('refused after', children, type(error).__name__)",
    ].join("\n"));
    const refusedAfter = Number(/refused after (\d+) BlockingIOError/.exec(counted.logs)?.[1]);
    expect(refusedAfter).toBeLessThan(32);
    const classic = await sandbox.execute(session, "import os\nwhile True:\n    os.fork()");
    expect(classic.failed).toBe(true);
    // The sleeping children were killed when the cell ended, so the session can start processes again.
    const after = await sandbox.execute(session, "import subprocess\nprint(subprocess.run(['true']).returncode)");
    expect(after).toMatchObject({ logs: "0\n", failed: false });
    await expectServerUnharmed();
  });

  describe("network", () => {
    let server: Server;
    let connections = 0;

    beforeAll(async () => {
      server = createServer((socket) => {
        connections += 1;
        socket.end("hello from the host");
      });
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    });

    afterAll(async () => {
      await new Promise((resolve) => server.close(resolve));
    });

    it("cannot reach a TCP server on the host's loopback nor the internet", async () => {
      const { port } = server.address() as AddressInfo;
      const result = await sandbox.execute(newSession(), [
        "import socket",
        `for host, port in [('127.0.0.1', ${port}), ('1.1.1.1', 80), ('example.com', 443)]:`,
        "    try:",
        "        socket.create_connection((host, port), timeout=2).recv(100)",
        "        print('CONNECTED', host)",
        "    except OSError as error:",
        "        print('blocked', host, type(error).__name__)",
      ].join("\n"));
      expect(result.logs).not.toContain("CONNECTED");
      expect(result.logs.match(/^blocked/gm)).toHaveLength(3);
      expect(connections).toBe(0);
      await expectServerUnharmed();
    });
  });

  it("cannot read the host's files nor another session's", async () => {
    const other = newSession();
    await sandbox.putFile(other, "other-secret.txt", encode("OTHER-SESSION-SECRET"));
    const written = await sandbox.execute(other, "open('/mnt/data/made.txt', 'w').write('OTHER-SESSION-OUTPUT')");
    const otherOutput = written.files[0]?.hostPath ?? "";
    const entries = await readdir(path.join(hostDir, "sandbox"), { recursive: true });
    const otherScratch = entries.find((entry) => entry.endsWith("other-secret.txt")) ?? "";
    const targets = [
      path.join(hostDir, "spool.db"),
      "/etc/shadow",
      path.join(hostDir, "sandbox", otherScratch),
      otherOutput,
      `/proc/1/root${path.join(hostDir, "spool.db")}`,
    ];
    const result = await sandbox.execute(newSession(), [
      `for target in ${JSON.stringify(targets)}:`,
      "    try:",
      "        print('READ', target, open(target).read())",
      "    except OSError as error:",
      "        print('denied', target, type(error).__name__)",
    ].join("\n"));
    expect(result.logs).not.toMatch(/READ|SECRET|OTHER-SESSION/);
    expect(result.logs.match(/^denied/gm)).toHaveLength(targets.length);
    await expectServerUnharmed();
  });

  it("cannot write outside /mnt/data and /tmp", async () => {
    const targets = ["/usr/spool-evil", "/usr/lib/spool-evil", "/etc/spool-evil", "/home/spool-evil", "/spool-evil", "/root/spool-evil", "/dev/spool-evil", "/mnt/spool-evil"];
    const result = await sandbox.execute(newSession(), [
      `for target in ${JSON.stringify(targets)}:`,
      "    try:",
      "        open(target, 'w').write('pwned')",
      "        print('WROTE', target)",
      "    except OSError as error:",
      "        print('denied', target, type(error).__name__)",
      "open('/tmp/fine', 'w').write('ok')",
      "open('/mnt/data/fine', 'w').write('ok')",
    ].join("\n"));
    expect(result.failed).toBe(false);
    expect(result.logs).not.toContain("WROTE");
    expect(result.logs.match(/^denied/gm)).toHaveLength(targets.length);
    for (const target of targets) expect(existsSync(target)).toBe(false);
    expect(result.files.map((file) => file.name)).toEqual(["fine"]);
    await expectServerUnharmed();
  });

  it("does not let symlinks in /mnt/data reach host files", async () => {
    const session = newSession();
    const victim = path.join(hostDir, "victim.txt");
    const result = await sandbox.execute(session, [
      "import os",
      `os.symlink(${JSON.stringify(path.join(hostDir, "spool.db"))}, '/mnt/data/leak.txt')`,
      "os.symlink('/', '/mnt/data/host-root')",
      `os.symlink(${JSON.stringify(victim)}, '/mnt/data/upload.txt')`,
    ].join("\n"));
    expect(result.failed).toBe(false);
    expect(result.files).toEqual([]);
    await sandbox.putFile(session, "upload.txt", encode("pwned")).catch(() => undefined);
    await sandbox.putFile(session, "host-root/tmp/pwned.txt", encode("pwned")).catch(() => undefined);
    await expect(sandbox.putFile(session, "../escape.txt", encode("pwned"))).rejects.toThrow(/invalid sandbox file name/);
    expect(existsSync(victim)).toBe(false);
    expect(existsSync("/tmp/pwned.txt")).toBe(false);
    await expectServerUnharmed(session);
  });

  it("truncates flooding output to the limit, keeping head and tail", async () => {
    const result = await sandbox.execute(newSession(), "for i in range(50_000):\n    print('line', i)\nprint('x' * 1_000_000)\nprint('done')");
    expect(result.failed).toBe(false);
    expect(result.logs.length).toBeLessThan(2_200);
    expect(result.logs.startsWith("line 0\nline 1\n")).toBe(true);
    expect(result.logs.endsWith("xxx\ndone\n")).toBe(true);
    expect(result.logs).toMatch(/characters omitted: output is limited to 2000 characters/);
    await expectServerUnharmed();
  });

  it("analyses a CSV with pandas", async () => {
    const session = newSession();
    await sandbox.putFile(session, "sales.csv", encode("item,price,qty\napple,1.5,10\npear,2.5,4\nplum,3.5,7\n"));
    const result = await sandbox.execute(session, [
      "import pandas as pd",
      "stats = pd.read_csv('/mnt/data/sales.csv').describe()",
      "print(stats.loc['count', 'price'], stats.loc['mean', 'price'], stats.loc['max', 'qty'], stats.loc['min', 'qty'])",
    ].join("\n"));
    expect(result).toMatchObject({ logs: "3.0 2.5 10.0 4.0\n", failed: false });
  });

  it("runs concurrent cells of one session one after the other", async () => {
    const session = newSession();
    const [first, second] = await Promise.all([
      sandbox.execute(session, "import time\ntime.sleep(0.3)\nvalue = 'set by the first cell'"),
      sandbox.execute(session, "print(value)"),
    ]);
    expect(first.failed).toBe(false);
    expect(second.logs).toBe("set by the first cell\n");
  });

  it("cancels a running cell when its signal aborts", async () => {
    const session = newSession();
    const controller = new AbortController();
    const marker = `running-${session}`;
    const cell = expect(sandbox.execute(session, `import time\n${writeMarker(marker)}\ntime.sleep(30)`, { signal: controller.signal })).rejects.toThrow();
    // Aborted only once the cell runs (it wrote its marker), so this stops a running cell, not a queued one.
    await expect.poll(() => markerWritten([path.join(hostDir, "sandbox")], marker), { timeout: 15_000 }).toBe(true);
    controller.abort();
    await cell;
    await expectServerUnharmed(session);
  });
});

describe("bubblewrap session lifetime", () => {
  let sandbox: CodeSandbox;
  let hostDir: string;
  let rootDir: string;

  beforeAll(async () => {
    hostDir = await makeHostDataDir();
    rootDir = path.join(hostDir, "sandbox");
    sandbox = await createBubblewrapSandbox({ rootDir, limits: { ...TEST_LIMITS, idleTimeoutMs: 1_000 }, maxSessions: 2, firstUid: 1_900_400_000 });
    expect(sandbox.status).toEqual({ available: true });
  });

  afterAll(async () => {
    await sandbox?.close();
    await rm(hostDir, { recursive: true, force: true });
  });

  it("ends a session left idle, removing its scratch dir", async () => {
    await sandbox.execute("idle", "value = 1");
    expect(await readdir(rootDir)).toHaveLength(1);
    // Idle for the 1 s idle timeout, the session ends and its scratch dir goes.
    await expect.poll(() => readdir(rootDir), { timeout: 10_000 }).toEqual([]);
    const result = await sandbox.execute("idle", "print('value' in globals())");
    expect(result.logs).toBe("False\n");
    await sandbox.endSession("idle");
  });

  it("ends the least recently used session when the session limit is reached", async () => {
    await sandbox.execute("first", "mark = 'first'");
    await sandbox.execute("second", "mark = 'second'");
    await sandbox.execute("first", "mark");
    await sandbox.execute("third", "mark = 'third'");
    expect((await sandbox.execute("first", "mark")).logs).toBe("'first'\n");
    expect((await sandbox.execute("second", "print('mark' in globals())")).logs).toBe("False\n");
  });
});

describe("sandbox availability", () => {
  // Only root switches to a separate sandbox uid, which is what cannot enter a 0700 directory.
  it.runIf(process.getuid?.() === 0)("reports why when the scratch dir is unreachable for the sandbox uid", async () => {
    const privateDir = await mkdtemp(path.join(tmpdir(), "spool-private-"));
    try {
      await mkdir(path.join(privateDir, "inner"));
      const sandbox = await createBubblewrapSandbox({ rootDir: path.join(privateDir, "inner", "sandbox"), firstUid: 1_900_300_000 });
      expect(sandbox.status.available).toBe(false);
      // One line, naming the directory in the way: the server logs it once at startup.
      const reason = sandbox.status.available ? "" : sandbox.status.reason;
      expect(reason).not.toContain("\n");
      expect(reason).toContain(`cannot pass through ${privateDir} (mode 700)`);
      await expect(sandbox.execute("s", "print(1)")).rejects.toThrow(/unavailable/);
    } finally {
      await rm(privateDir, { recursive: true, force: true });
    }
  });

  it("removes a temporary root when it closes, and when it cannot start", async () => {
    const hostDir = await makeHostDataDir();
    try {
      const usable = path.join(hostDir, "usable");
      const sandbox = await createBubblewrapSandbox({ rootDir: usable, temporaryRoot: true, limits: TEST_LIMITS, firstUid: 1_900_500_000 });
      expect((await sandbox.execute("s", "print(1)")).logs).toBe("1\n");
      await sandbox.close();
      expect(existsSync(usable)).toBe(false);
      if (process.getuid?.() === 0) {
        await mkdir(path.join(hostDir, "private"), { mode: 0o700 });
        const unreachable = path.join(hostDir, "private", "sandbox");
        const unavailable = await createBubblewrapSandbox({ rootDir: unreachable, temporaryRoot: true, firstUid: 1_900_500_000 });
        expect(unavailable.status.available).toBe(false);
        expect(existsSync(unreachable)).toBe(false);
      }
    } finally {
      await rm(hostDir, { recursive: true, force: true });
    }
  });

  it("UnavailableSandbox rejects every call with its reason", async () => {
    const sandbox = new UnavailableSandbox("no bubblewrap on this host");
    expect(sandbox.status).toEqual({ available: false, reason: "no bubblewrap on this host" });
    await expect(sandbox.execute("s", "print(1)")).rejects.toThrow("no bubblewrap on this host");
    await expect(sandbox.putFile("s", "x", new Uint8Array())).rejects.toThrow("no bubblewrap on this host");
  });
});
