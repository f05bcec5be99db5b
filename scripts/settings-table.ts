/** Prints the README's settings table from the config registry: `npx tsx scripts/settings-table.ts`. */
import { settings } from "../src/config/config.js";

console.log("| variable | meaning | default |\n|---|---|---|");
for (const setting of Object.values(settings)) {
  const fallback = setting.default === undefined || setting.default === "" ? "unset" : `\`${setting.default}\``;
  console.log(`| \`${setting.env}\` | ${setting.doc} | ${fallback} |`);
}
