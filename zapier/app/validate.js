'use strict';

// Validates the app definition with zapier-platform-schema, offline, the way
// `zapier validate` does (functions become `$func$` markers first); exits 1 on errors.
const { validateAppDefinition } = require('zapier-platform-schema');
const { compileApp, serializeApp } = require('zapier-platform-core/src/tools/schema');
const app = require('./index');

const definition = serializeApp(compileApp(app));
const { errors } = validateAppDefinition(definition);
if (errors.length) {
  for (const error of errors) {
    console.error(`${error.property}: ${error.message}`);
  }
  process.exit(1);
}
console.log(
  `The app definition is valid: ${Object.keys(definition.triggers).length} triggers, ` +
    `${Object.keys(definition.creates).length} actions, ` +
    `${Object.keys(definition.searches).length} search.`,
);
