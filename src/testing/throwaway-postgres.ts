import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { freePort } from "./free-port.js";

const run = promisify(execFile);

export interface ThrowawayPostgres {
  /** postgres://postgres@127.0.0.1:PORT/postgres */
  url: string;
  /**
   * Stops the server as a crash would (immediate mode, connections dropped), runs `whileDown`, and starts
   * it again on the same port.
   */
  restart(whileDown?: () => Promise<void>): Promise<void>;
  stop(): Promise<void>;
}

function postgresBinDir(): string {
  const root = "/usr/lib/postgresql";
  const versions = fs.existsSync(root) ? fs.readdirSync(root).sort((a, b) => Number(b) - Number(a)) : [];
  const bin = versions.map((version) => path.join(root, version, "bin")).find((dir) => fs.existsSync(path.join(dir, "initdb")));
  if (!bin) throw new Error("PostgreSQL server binaries not found under /usr/lib/postgresql; run `npm run setup:system`.");
  return bin;
}

/**
 * A private PostgreSQL server for one test file (Debian's binaries, data in a temp dir, durability off),
 * so the Postgres store is tested against the real thing. As root it runs as the `postgres` user, since
 * initdb refuses root.
 */
export async function startThrowawayPostgres(): Promise<ThrowawayPostgres> {
  const bin = postgresBinDir();
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), "spool-pg-"));
  const asRoot = process.getuid?.() === 0;
  const asPostgres = async (program: string, args: string[]) =>
    asRoot ? run("runuser", ["-u", "postgres", "--", path.join(bin, program), ...args]) : run(path.join(bin, program), args);
  if (asRoot) {
    const { stdout } = await run("id", ["-u", "postgres"]);
    const { stdout: group } = await run("id", ["-g", "postgres"]);
    fs.chownSync(directory, Number(stdout.trim()), Number(group.trim()));
  }
  const dataDir = path.join(directory, "data");
  await asPostgres("initdb", ["-D", dataDir, "-U", "postgres", "-A", "trust", "--no-sync", "-E", "UTF8", "--locale=C.UTF-8"]);
  const port = await freePort();
  const options = `-c listen_addresses=127.0.0.1 -p ${port} -k ${directory} -c fsync=off -c synchronous_commit=off -c full_page_writes=off`;
  const start = () => asPostgres("pg_ctl", ["-D", dataDir, "-l", path.join(directory, "log"), "-w", "-o", options, "start"]);
  await start();
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    async restart(whileDown) {
      await asPostgres("pg_ctl", ["-D", dataDir, "-m", "immediate", "-w", "stop"]);
      try {
        await whileDown?.();
      } finally {
        await start();
      }
    },
    async stop() {
      await asPostgres("pg_ctl", ["-D", dataDir, "-m", "immediate", "-w", "stop"]).catch(() => undefined);
      fs.rmSync(directory, { recursive: true, force: true });
    },
  };
}

let databases = 0;

/** A new empty database on `postgres`, for one test; returns its URL. */
export async function freshDatabase(postgres: ThrowawayPostgres, prefix = "test"): Promise<string> {
  const { default: pg } = await import("pg");
  const admin = new pg.Client({ connectionString: postgres.url });
  await admin.connect();
  databases += 1;
  const name = `${prefix}_${process.pid}_${databases}`;
  await admin.query(`create database ${name}`);
  await admin.end();
  return postgres.url.replace(/\/postgres$/, `/${name}`);
}
