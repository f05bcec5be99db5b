/**
 * Containers (the Containers API): where the Responses API's code_interpreter runs code. A container is a
 * sandbox session with its own /mnt/data; its files are kept as container files (bytes in the blob store,
 * under the container file's id), so they survive the session and follow the container to any process.
 */
export type ContainerMemoryLimit = "1g" | "4g" | "16g" | "64g";

export interface ContainerExpiry {
  anchor: "last_active_at";
  minutes: number;
}

export interface Container {
  id: string;
  object: "container";
  name: string;
  created_at: number;
  /** A container unused for `expires_after` reads as `expired`; the housekeeping sweep then deletes its files and stores it so. */
  status: "running" | "expired";
  last_active_at: number;
  expires_after: ContainerExpiry;
  memory_limit: ContainerMemoryLimit;
  network_policy: { type: "disabled" } | { type: "allowlist"; allowed_domains: string[] };
  /** Not on the wire: the thread (conversation) a container `auto` created belongs to, so its next response reuses it. */
  thread_id: string | null;
  /** Not on the wire: the Files copied in, so `auto` copies each File into a container it reuses once. */
  file_ids: string[];
}

export interface ContainerFile {
  id: string;
  object: "container.file";
  container_id: string;
  created_at: number;
  bytes: number;
  /** Where the code sees it, e.g. `/mnt/data/report.csv`. */
  path: string;
  /** `user`: added through the API or `file_ids`; `assistant`: written by the code. */
  source: "user" | "assistant";
}
