/**
 * Projects (OpenAI's Administration API): every object belongs to the project of the key that created it,
 * and a key sees only its own project's objects.
 */

/** The project of `SPOOL_API_KEYS`, of open mode (no keys at all), and of everything stored before projects existed. */
export const defaultProjectId = "proj_default";

export interface Project {
  id: string;
  object: "organization.project";
  name: string;
  created_at: number;
  archived_at: number | null;
  status: "active" | "archived";
}

export interface ServiceAccount {
  id: string;
  object: "organization.project.service_account";
  project_id: string;
  name: string;
  role: "member" | "none";
  created_at: number;
}

/** A project API key as stored: never its value, only a hash of it and the redacted form shown in lists. */
export interface ProjectApiKey {
  id: string;
  project_id: string;
  service_account_id: string;
  name: string;
  redacted_value: string;
  created_at: number;
  last_used_at: number | null;
}

/** The stored form: the SHA-256 of the key's value, to check a presented key against. */
export interface StoredApiKey extends ProjectApiKey {
  hash: string;
}
