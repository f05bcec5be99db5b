import js from "@eslint/js";
import tseslint from "typescript-eslint";

/**
 * Dependencies point one way: the HTTP layer (app, http/, resources/) sits on top; the engine and the
 * pluggable parts below it never import it; storage, domain and records also stay clear of HTTP errors
 * and the engine. Tests and contract suites may set up data through any layer.
 */
const httpLayer = ["**/resources/**", "**/http/**", "**/app.js", "**/app-dependencies.js", "**/server.js", "hono", "hono/*"];
const belowHttp = {
  files: ["src/engine/**", "src/observability/**", "src/ingestion/**", "src/queue/**", "src/events/**", "src/vector/**", "src/sandbox/**", "src/providers/**", "src/streaming/**", "src/logging/**", "src/config/**"],
  ignores: ["**/*.test.ts", "**/*.contract.ts"],
  rules: {
    "no-restricted-imports": ["error", { patterns: [{ group: httpLayer, message: "The engine and the pluggable parts never depend on the HTTP layer; put what both need below both." }] }],
  },
};
/** The engine speaks neutral run events (`domain/run-item-events.ts`); each API renders them at its edge. */
const engine = {
  files: ["src/engine/**"],
  ignores: ["**/*.test.ts", "**/*.contract.ts"],
  rules: {
    "no-restricted-imports": [
      "error",
      {
        patterns: [
          { group: httpLayer, message: "The engine and the pluggable parts never depend on the HTTP layer; put what both need below both." },
          { group: ["**/streaming/**"], message: "The engine publishes neutral run events; Assistants and Responses stream events are rendered at the edge." },
        ],
      },
    ],
  },
};
const bottom = {
  files: ["src/storage/**", "src/domain/**", "src/records/**"],
  ignores: ["**/*.test.ts", "**/*.contract.ts"],
  rules: {
    "no-restricted-imports": [
      "error",
      { patterns: [{ group: [...httpLayer, "**/errors/**", "**/engine/**", "**/ingestion/**"], message: "Storage, domain and records sit below the engine and HTTP: they raise their own errors, which the HTTP layer maps." }] },
    ],
  },
};

export default tseslint.config(
  { ignores: ["dist/**", "ui/dist/**", "node_modules/**", "data/**"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    linterOptions: { reportUnusedDisableDirectives: "error" },
    rules: {
      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/ban-ts-comment": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", destructuredArrayIgnorePattern: "^_" }],
    },
  },
  belowHttp,
  engine,
  bottom,
);
