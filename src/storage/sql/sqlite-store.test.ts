import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { defineStoreContract } from "../store.contract.js";
import { openSqliteStore } from "./sqlite-store.js";

defineStoreContract("sqlite (file, WAL)", async () => {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), "spool-store-"));
  return openSqliteStore(path.join(directory, "spool.db"));
});
