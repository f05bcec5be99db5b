import { settings } from "../config/config.js";
import { parseCommand } from "./command-line.js";
import { exitCodes, UsageError } from "./exit-codes.js";

const command = {
  name: "serve",
  options: {},
  help: `Usage: spool serve

Starts the server, exactly as \`npm start\` does. It is configured by environment variables:

${Object.values(settings)
  .map((setting) => `  ${setting.env.padEnd(30)} default: ${setting.default === undefined || setting.default === "" ? "unset" : setting.default}`)
  .join("\n")}

See the README's Settings for what each means. Exit status: 0 after SIGTERM or SIGINT; 2 bad settings.
`,
} as const;

/** Returns `serving` once the server is up; it then runs until a signal ends the process. */
export async function runServe(args: string[]): Promise<number | "serving"> {
  const parsed = parseCommand(command, args);
  if (!parsed) {
    process.stdout.write(command.help);
    return exitCodes.ok;
  }
  if (parsed.positionals.length > 0) throw new UsageError("spool serve: takes no arguments; settings are environment variables (spool serve --help)");
  // The server's own entry point, so `spool serve` and `npm start` cannot drift apart.
  await import("../main.js");
  return "serving";
}
