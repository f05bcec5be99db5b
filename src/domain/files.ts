export type FilePurpose =
  | "assistants"
  | "assistants_output"
  | "batch"
  | "batch_output"
  | "fine-tune"
  | "fine-tune-results"
  | "vision"
  | "user_data"
  | "evals";

/** An uploaded or generated file; its bytes live on disk under the data dir. */
export interface StoredFile {
  id: string;
  object: "file";
  bytes: number;
  created_at: number;
  expires_at: number | null;
  filename: string;
  purpose: FilePurpose;
  status: "uploaded" | "processed" | "error";
  status_details: string | null;
}
