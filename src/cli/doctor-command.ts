import { loadConfig } from "../config/config.js";
import { parseCommand } from "./command-line.js";
import { checkBubblewrap, checkDatabase, checkFonts, checkPython, checkUpstream, type CheckResult } from "./doctor-checks.js";
import { exitCodes, UsageError } from "./exit-codes.js";

const command = {
  name: "doctor",
  options: {},
  help: `Usage: spool doctor

Checks what Spool needs on this machine, with the same settings the server would read, and says how to
fix each problem:

  bubblewrap   the code_interpreter sandbox (bwrap, prlimit, setpriv, user namespaces)
  python       /usr/bin/python3 with numpy, pandas and matplotlib
  fonts        CJK fonts for chart labels
  database     the SQLite file in SPOOL_DATA_DIR, or the Postgres database at SPOOL_DATABASE_URL
  upstream     the model server at SPOOL_UPSTREAM_URL, with SPOOL_UPSTREAM_API_KEY

It changes nothing. Exit status: 0 every check passed; 1 some did not; 2 wrong command line or settings.
`,
} as const;

function render(results: CheckResult[]): string {
  const width = Math.max(...results.map((result) => result.name.length));
  const lines = results.flatMap((result) => [
    `  ${result.ok ? "ok  " : "FAIL"}  ${result.name.padEnd(width)}  ${result.detail}`,
    ...(result.fix ? [`        ${" ".repeat(width)}  fix: ${result.fix}`] : []),
  ]);
  const failed = results.filter((result) => !result.ok).length;
  const summary = failed === 0 ? "Every check passed." : `${failed} of ${results.length} checks failed.`;
  return `${lines.join("\n")}\n\n${summary}\n`;
}

export async function runDoctor(args: string[]): Promise<number> {
  const parsed = parseCommand(command, args);
  if (!parsed) {
    process.stdout.write(command.help);
    return exitCodes.ok;
  }
  if (parsed.positionals.length > 0) throw new UsageError("spool doctor: takes no arguments");
  const config = loadConfig();
  const results = await Promise.all([
    checkBubblewrap(process.env),
    checkPython(process.env),
    Promise.resolve(checkFonts()),
    checkDatabase(config),
    checkUpstream(config),
  ]);
  process.stdout.write(render(results));
  return results.every((result) => result.ok) ? exitCodes.ok : exitCodes.failed;
}
