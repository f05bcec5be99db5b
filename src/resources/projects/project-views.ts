import type { ProjectApiKey, ServiceAccount } from "../../domain/projects.js";

/** `ProjectServiceAccount` on the wire (the project it belongs to is in the URL). */
export function viewServiceAccount(account: ServiceAccount) {
  return { object: account.object, id: account.id, name: account.name, role: account.role, created_at: account.created_at };
}

/** `ProjectApiKey` on the wire: the redacted value only, and the service account that owns it. */
export function viewApiKey(key: ProjectApiKey, owner: ServiceAccount | undefined) {
  return {
    object: "organization.project.api_key" as const,
    redacted_value: key.redacted_value,
    name: key.name,
    created_at: key.created_at,
    last_used_at: key.last_used_at,
    id: key.id,
    owner_project_access: "active" as const,
    owner: {
      type: "service_account" as const,
      service_account: {
        id: key.service_account_id,
        name: owner?.name ?? "",
        created_at: owner?.created_at ?? key.created_at,
        role: owner?.role ?? "member",
      },
    },
  };
}
