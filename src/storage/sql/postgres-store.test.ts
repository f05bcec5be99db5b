import { afterAll, beforeAll } from "vitest";
import { startThrowawayPostgres, type ThrowawayPostgres } from "../../testing/throwaway-postgres.js";
import { defineStoreContract } from "../store.contract.js";
import { openPostgresStore } from "./postgres-store.js";

let postgres: ThrowawayPostgres;
let database = 0;

beforeAll(async () => {
  postgres = await startThrowawayPostgres();
}, 60_000);

afterAll(async () => {
  await postgres?.stop();
});

defineStoreContract("postgres", async () => {
  // A fresh database per test, like the SQLite suite's fresh file.
  const { default: pg } = await import("pg");
  const admin = new pg.Client({ connectionString: postgres.url });
  await admin.connect();
  database += 1;
  await admin.query(`create database contract_${database}`);
  await admin.end();
  return openPostgresStore(postgres.url.replace(/\/postgres$/, `/contract_${database}`));
});
