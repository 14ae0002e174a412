// Copies the browser builds of the npm packages into ../static/vendor (gitignored).
import { copyFileSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const vendor = join(here, "..", "static", "vendor");
const files = {
  "htmx.min.js": "node_modules/htmx.org/dist/htmx.min.js",
  "chart.umd.min.js": "node_modules/chart.js/dist/chart.umd.min.js",
};
mkdirSync(vendor, { recursive: true });
for (const [name, source] of Object.entries(files)) {
  copyFileSync(join(here, source), join(vendor, name));
}
console.log(`dashboard assets: ${Object.keys(files).join(", ")} -> ${vendor}`);
