import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Ajv2020, type ValidateFunction } from "ajv/dist/2020.js";
import yaml from "js-yaml";

/** OpenAI's published spec (MIT), kept in the repository so the tests need nothing beside it. */
const specPath = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../test/fixtures/openapi/openapi.yaml");

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

const isObject = (value: Json | undefined): value is JsonObject => typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * The spec mixes OpenAPI 3.0's `nullable: true` into 3.1 schemas; JSON Schema has no such keyword, so
 * each becomes what it means: `null` is one more allowed value.
 */
function withoutNullable(node: Json): Json {
  if (Array.isArray(node)) return node.map(withoutNullable);
  if (!isObject(node)) return node;
  const { nullable, ...rest } = node;
  const converted: JsonObject = Object.fromEntries(Object.entries(rest).map(([key, value]) => [key, withoutNullable(value)]));
  if (nullable !== true) return converted;
  const { type } = converted;
  if (typeof type === "string" && !("enum" in converted)) return { ...converted, type: [type, "null"] };
  return { anyOf: [converted, { type: "null" }] };
}

export interface Operation {
  method: string;
  /** The spec's path template, e.g. `/threads/{thread_id}/runs`. */
  template: string;
  pattern: RegExp;
  /** The component a 200 JSON answer must match, e.g. `RunObject`. */
  responseSchema: string | undefined;
}

export interface Conformance {
  operations: Operation[];
  /** The operation a request was for, if the spec has it. */
  operationOf(method: string, pathname: string): Operation | undefined;
  /** Violations of `#/components/schemas/<name>` by `value`, one line each; empty when it conforms. */
  violations(name: string, value: unknown): string[];
}

export function loadConformance(): Conformance {
  const spec = withoutNullable(yaml.load(fs.readFileSync(specPath, "utf8")) as Json);
  if (!isObject(spec) || !isObject(spec["paths"]) || !isObject(spec["components"])) throw new Error(`${specPath} is not an OpenAPI document`);
  // Vendor keywords (x-oaiMeta, discriminator…) are not validation keywords; formats (unixtime…) are not checked.
  const ajv = new Ajv2020({ strict: false, validateFormats: false, allErrors: true });
  ajv.addSchema({ $id: "openai", components: spec["components"] });
  const compiled = new Map<string, ValidateFunction>();
  const validatorOf = (name: string) => {
    let validate = compiled.get(name);
    if (!validate) {
      validate = ajv.compile({ $ref: `openai#/components/schemas/${name}` });
      compiled.set(name, validate);
    }
    return validate;
  };

  const operations: Operation[] = [];
  for (const [template, item] of Object.entries(spec["paths"])) {
    if (!isObject(item)) continue;
    for (const [method, operation] of Object.entries(item)) {
      if (!isObject(operation) || !isObject(operation["responses"])) continue;
      const ok = operation["responses"]["200"];
      const content = isObject(ok) && isObject(ok["content"]) ? ok["content"]["application/json"] : undefined;
      const schema = isObject(content) && isObject(content["schema"]) ? content["schema"]["$ref"] : undefined;
      const pattern = new RegExp(`^${template.replace(/\{[^}]+\}/g, "[^/]+")}$`);
      operations.push({ method: method.toUpperCase(), template, pattern, responseSchema: typeof schema === "string" ? schema.split("/").at(-1) : undefined });
    }
  }
  return {
    operations,
    operationOf: (method, pathname) => operations.find((operation) => operation.method === method && operation.pattern.test(pathname)),
    violations(name, value) {
      const validate = validatorOf(name);
      if (validate(value)) return [];
      return (validate.errors ?? []).map((error) => `${name}${error.instancePath} ${error.message ?? "is invalid"} ${JSON.stringify(error.params)}`);
    },
  };
}
