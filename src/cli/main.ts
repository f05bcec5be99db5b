#!/usr/bin/env node
import { ConfigError } from "../config/config.js";
import { exitCodes, UsageError } from "./exit-codes.js";
import { spoolVersion } from "./version.js";

const help = `Usage: spool <command> [options]

  serve     start the server (as npm start does)
  import    import an Assistants API export, keeping every id
  export    write assistants and threads in the same format, for moving servers and backups
  doctor    check the sandbox, Python, fonts, database and model server, and say how to fix problems

\`spool <command> --help\` explains each. Settings are the server's environment variables (README
"Settings"): the commands work on the data dir or database the server with those settings uses.
`;

// Each command loads only what it uses, so the others (and --help) start quickly.
const commands: Record<string, (args: string[]) => Promise<number | "serving">> = {
  serve: async (args) => (await import("./serve-command.js")).runServe(args),
  import: async (args) => (await import("./import-command.js")).runImport(args),
  export: async (args) => (await import("./export-command.js")).runExport(args),
  doctor: async (args) => (await import("./doctor-command.js")).runDoctor(args),
};

async function main(args: string[]): Promise<number | "serving"> {
  const [name, ...rest] = args;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    process.stdout.write(help);
    return name === undefined ? exitCodes.usage : exitCodes.ok;
  }
  if (name === "--version") {
    process.stdout.write(`${spoolVersion()}\n`);
    return exitCodes.ok;
  }
  const run = commands[name];
  if (!run) throw new UsageError(`spool: unknown command '${name}'`);
  return run(rest);
}

try {
  const outcome = await main(process.argv.slice(2));
  if (outcome !== "serving") process.exitCode = outcome;
} catch (error) {
  if (error instanceof UsageError) {
    process.stderr.write(`${error.message}\nRun \`spool --help\` or \`spool <command> --help\`.\n`);
    process.exitCode = exitCodes.usage;
  } else if (error instanceof ConfigError) {
    process.stderr.write(`spool: ${error.message}\n`);
    process.exitCode = exitCodes.usage;
  } else {
    process.stderr.write(`spool: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = exitCodes.failed;
  }
}
