/** `npm run bench`: every benchmark, one after the other, so their figures come from one quiet run. */
import { main as cluster } from "./cluster.bench.js";
import { main as core } from "./core.bench.js";
import { main as importBench } from "./import.bench.js";
import { main as observability } from "./observability.bench.js";
import { main as responses } from "./responses.bench.js";
import { main as sandbox } from "./sandbox.bench.js";
import { main as vector } from "./vector.bench.js";

for (const [name, run] of [
  ["core", core],
  ["responses", responses],
  ["observability", observability],
  ["cluster", cluster],
  ["vector", vector],
  ["sandbox", sandbox],
  ["import", importBench],
] as const) {
  console.log(`\n=== ${name} ===`);
  await run();
}
