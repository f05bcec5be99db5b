import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { defineBlobStoreContract } from "./blob-store.contract.js";
import { FilesystemBlobStore } from "./filesystem-blob-store.js";

defineBlobStoreContract("filesystem", async () => new FilesystemBlobStore(path.join(fs.mkdtempSync(path.join(os.tmpdir(), "spool-blobs-")), "files")));
