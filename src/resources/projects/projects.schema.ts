import { z } from "zod";

/** Hosted limits a project's name to 256 characters (`ProjectCreateRequest`). */
const projectName = z.string().min(1).max(256);

export const createProjectSchema = z.strictObject({
  name: projectName,
  // Accepted for compatibility; Spool has one residency and does not bring customers' own keys.
  external_key_id: z.string().nullable().optional(),
  residency: z.string().nullable().optional(),
});

export const modifyProjectSchema = z.strictObject({
  name: projectName.nullable().optional(),
  external_key_id: z.string().nullable().optional(),
});

export const createServiceAccountSchema = z.strictObject({
  name: z.string().min(1).max(256),
  create_service_account_only: z.boolean().nullable().optional(),
});

export const adminListQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  after: z.string().min(1).optional(),
  include_archived: z.enum(["true", "false"]).optional(),
});
