import { throwawayPostgresForFile } from "../../testing/postgres-for-file.js";
import { defineStoreContract } from "../store.contract.js";
import { openPostgresStore } from "./postgres-store.js";

const postgres = throwawayPostgresForFile();

// A fresh database per test, like the SQLite suite's fresh file.
defineStoreContract("postgres", async () => openPostgresStore(await postgres.freshDatabase("contract")));
