import { defineConfig } from "@hey-api/openapi-ts";

// `npm run generate` regenerates src/generated/ from ../openapi.json (never edit it by hand).
// OPENAPI_TS_OUTPUT lets the staleness test generate into a temporary directory instead.
export default defineConfig({
  input: "../openapi.json",
  output: {
    path: process.env.OPENAPI_TS_OUTPUT ?? "src/generated",
    // Explicit `.js` specifiers, so plain `tsc` emits ES modules Node can load.
    module: { extension: ".js" },
  },
  plugins: ["@hey-api/client-fetch", "@hey-api/typescript", "@hey-api/sdk"],
});
