import { parseArgs, type ParseArgsConfig } from "node:util";
import { UsageError } from "./exit-codes.js";

type Options = NonNullable<ParseArgsConfig["options"]>;
const helpOption = { help: { type: "boolean", short: "h" } } as const;

export interface Command<O extends Options> {
  name: string;
  /** Shown by `spool <name> --help`. */
  help: string;
  options: O;
}

/**
 * Parses a command's arguments with node's parseArgs (every command takes `--help`); an unknown option or a
 * missing value becomes a UsageError naming the command. `undefined` means help was asked for.
 */
export function parseCommand<O extends Options>(command: Command<O>, args: string[]) {
  let parsed;
  try {
    parsed = parseArgs({ args, options: { ...command.options, ...helpOption }, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(`spool ${command.name}: ${error instanceof Error ? error.message : String(error)}`);
  }
  // parseArgs's result type cannot see `help` through the generic options; it is there, as declared above.
  return (parsed.values as { help?: boolean }).help ? undefined : parsed;
}
