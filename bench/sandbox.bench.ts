import { chmod, mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { BubblewrapSandbox, createBubblewrapSandbox } from "../src/sandbox/bubblewrap/bubblewrap-sandbox.js";
import { percentile } from "./stats.js";

const WARM_RUNS = 50;
const COLD_RUNS = 5;
const CONCURRENT_SESSIONS = 10;
const CHART_CELL = [
  "import pandas as pd, matplotlib.pyplot as plt",
  "df = pd.DataFrame({'month': range(1, 13), 'sales': [x * x for x in range(12)]})",
  "df.plot(x='month', y='sales', title='월별 매출')",
  "plt.show()",
  "df.describe()",
].join("\n");
const PANDAS_CELL = "import pandas as pd\npd.DataFrame({'a': range(1000), 'b': range(1000)}).groupby(pd.Series(range(1000)) % 10).sum().shape";

async function timed<T>(operation: () => Promise<T>): Promise<[number, T]> {
  const started = performance.now();
  const result = await operation();
  return [performance.now() - started, result];
}


const ms = (value: number) => `${value.toFixed(1)} ms`;

/** Resident memory of a process and all its descendants (bwrap, its pid-namespace init, Python), in KiB. */
async function treeRssKib(rootPid: number): Promise<number> {
  const parents = new Map<number, number>();
  for (const entry of await readdir("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = await readFile(`/proc/${entry}/stat`, "utf8").catch(() => "");
    // Fields after the parenthesised command name: state, then parent pid.
    const parent = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
    parents.set(Number(entry), parent);
  }
  const inTree = (pid: number): boolean => pid === rootPid || (parents.has(pid) && pid > 1 && inTree(parents.get(pid) ?? 0));
  let total = 0;
  for (const pid of parents.keys()) {
    if (!inTree(pid)) continue;
    const status = await readFile(`/proc/${pid}/status`, "utf8").catch(() => "");
    total += Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  }
  return total;
}

export async function main(): Promise<void> {
  const hostDir = await mkdtemp(path.join(tmpdir(), "spool-sandbox-bench-"));
  // The sandbox uid must traverse down to the scratch dirs bwrap binds.
  await chmod(hostDir, 0o711);
  const sandbox = await createBubblewrapSandbox({ rootDir: path.join(hostDir, "sandbox") });
  try {
    if (!(sandbox instanceof BubblewrapSandbox)) throw new Error(`sandbox unavailable: ${JSON.stringify(sandbox.status)}`);
    const cold: number[] = [];
    for (let run = 0; run < COLD_RUNS; run += 1) {
      const [elapsed] = await timed(() => sandbox.execute(`cold-${run}`, "print(1)"));
      cold.push(elapsed);
    }
    console.log(`cold session start (first print(1)), ${COLD_RUNS} sessions: p50 ${ms(percentile(cold, 0.5))}, max ${ms(Math.max(...cold))}`);

    const warm: number[] = [];
    for (let run = 0; run < WARM_RUNS; run += 1) {
      const [elapsed] = await timed(() => sandbox.execute("cold-0", "print(1)"));
      warm.push(elapsed);
    }
    console.log(`warm print(1) round trip, ${WARM_RUNS} runs: p50 ${ms(percentile(warm, 0.5))}, p95 ${ms(percentile(warm, 0.95))}`);

    const idlePid = sandbox.kernelPid("cold-0");
    if (idlePid !== undefined) console.log(`RSS of an idle session (nothing imported): ${(await treeRssKib(idlePid) / 1024).toFixed(1)} MiB`);

    const [chartTime, chart] = await timed(() => sandbox.execute("chart", CHART_CELL));
    console.log(`import pandas + DataFrame + chart in a new session: ${ms(chartTime)} (${chart.images.length} image, failed=${chart.failed})`);
    const [chartAgain] = await timed(() => sandbox.execute("chart", CHART_CELL));
    console.log(`same cell again (modules loaded): ${ms(chartAgain)}`);
    const chartPid = sandbox.kernelPid("chart");
    if (chartPid !== undefined) console.log(`RSS of an idle session after pandas + matplotlib: ${(await treeRssKib(chartPid) / 1024).toFixed(1)} MiB`);

    const sessions = Array.from({ length: CONCURRENT_SESSIONS }, (_, index) => `concurrent-${index}`);
    const [concurrentTime, results] = await timed(() => Promise.all(sessions.map((session) => sandbox.execute(session, PANDAS_CELL))));
    const failures = results.filter((result) => result.failed).length;
    console.log(`${CONCURRENT_SESSIONS} new sessions each running a small pandas cell at once: ${ms(concurrentTime)} wall (${failures} failed)`);
  } finally {
    await sandbox.close();
    await rm(hostDir, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
