import { z } from "zod";

/** The spec's `CreateContainerBody`, as far as a container of this server can honour it. */

export const memoryLimitSchema = z.enum(["1g", "4g", "16g", "64g"]);

/** The sandbox has no network: only the `disabled` policy can be kept. */
export const networkPolicySchema = z.discriminatedUnion("type", [
  z.strictObject({ type: z.literal("disabled") }),
  z.strictObject({ type: z.literal("allowlist"), allowed_domains: z.array(z.string()).optional(), domain_secrets: z.array(z.unknown()).optional() }),
]);

export const createContainerSchema = z.strictObject({
  name: z.string(),
  file_ids: z.array(z.string().min(1)).max(50).optional(),
  expires_after: z.strictObject({ anchor: z.literal("last_active_at"), minutes: z.number().int().min(1) }).optional(),
  memory_limit: memoryLimitSchema.optional(),
  network_policy: networkPolicySchema.optional(),
  skills: z.array(z.unknown()).optional(),
});

export const listContainersQuerySchema = z.object({ name: z.string().optional() });

export const createContainerFileSchema = z.strictObject({ file_id: z.string().min(1) });

export type CreateContainerRequest = z.output<typeof createContainerSchema>;

/** The Responses API's `code_interpreter` tool: a container's id, or `auto` (also as the bare string). */
export const codeInterpreterToolSchema = z.strictObject({
  type: z.literal("code_interpreter"),
  container: z.union([
    z.string().min(1),
    z.strictObject({
      type: z.literal("auto"),
      file_ids: z.array(z.string().min(1)).max(50).optional(),
      memory_limit: memoryLimitSchema.nullable().optional(),
      network_policy: networkPolicySchema.optional(),
    }),
  ]),
});

export type CodeInterpreterToolRequest = z.output<typeof codeInterpreterToolSchema>;
