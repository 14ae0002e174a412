// Copies the browser builds of Swagger UI and Redoc into ../static/vendor (gitignored).
import { copyFileSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const vendor = join(here, "..", "static", "vendor");
const files = {
  "swagger-ui-bundle.js": "node_modules/swagger-ui-dist/swagger-ui-bundle.js",
  "swagger-ui.css": "node_modules/swagger-ui-dist/swagger-ui.css",
  "favicon-32x32.png": "node_modules/swagger-ui-dist/favicon-32x32.png",
  "redoc.standalone.js": "node_modules/redoc/bundles/redoc.standalone.js",
};
mkdirSync(vendor, { recursive: true });
for (const [name, source] of Object.entries(files)) {
  copyFileSync(join(here, source), join(vendor, name));
}
console.log(`API docs assets: ${Object.keys(files).join(", ")} -> ${vendor}`);
