import type { AppDependencies } from "../../app-dependencies.js";
import type { ConversationItem } from "../../domain/items.js";
import { InvalidRequestError, NotFoundError } from "../../errors/api-error.js";
import { discardGeneratedFile, saveGeneratedFile } from "../../records/file-records.js";
import { fileKindOf } from "../../vector/extract/file-kind.js";
import { isItemReference, type InputItem, type MessageInput, type RequestedInputItem, type StoredInputFile } from "./input-items.schema.js";

/** A stored item as input again (its id is not kept: a thread gives every item it takes an id of its own). */
export function toInput(item: ConversationItem): InputItem {
  if (item.type === "function_call") return { type: "function_call", call_id: item.call_id, name: item.name, arguments: item.arguments };
  if (item.type === "function_call_output") {
    // A function's output holds text and images only.
    const output = typeof item.output === "string" ? item.output : item.output.flatMap((part) => (part.type === "input_file" ? [] : [part]));
    return { type: "function_call_output", call_id: item.call_id, output };
  }
  if (item.type === "file_search_call") return { type: "file_search_call", queries: item.queries, results: item.results };
  if (item.type === "code_interpreter_call") return { type: "code_interpreter_call", container_id: item.container_id, code: item.code, outputs: item.outputs };
  if (item.type === "reasoning") return { type: "reasoning", summary: item.summary, content: item.content };
  const content = item.content.map((part): Exclude<MessageInput["content"], string>[number] => {
    if (part.type === "input_image") return { type: "input_image", image_url: part.image_url, file_id: part.file_id, detail: part.detail };
    if (part.type === "input_file") return part;
    return part.type === "refusal" ? { type: "refusal", refusal: part.refusal } : { type: part.type, text: part.text };
  });
  return { type: "message", role: item.role, content };
}

type RequestedPart = Exclude<Extract<RequestedInputItem, { role: string }>["content"], string>[number];

/** `file_data` as hosted takes it: base64, or a data URL (`data:application/pdf;base64,…`). */
function decodeFileData(data: string, param: string): Uint8Array {
  const base64 = data.startsWith("data:") ? data.slice(data.indexOf(",") + 1) : data;
  if (!/^[A-Za-z0-9+/\s]*={0,2}\s*$/.test(base64)) throw new InvalidRequestError(`Invalid '${param}': expected base64-encoded file content.`, { param });
  return new Uint8Array(Buffer.from(base64, "base64"));
}

/**
 * A file part by id, with its name. An inline one is stored as a File (`purpose: user_data`) first, so the
 * conversation names it by id like any other and every process reads its bytes from the blob store.
 */
async function storedFile(dependencies: Pick<AppDependencies, "store" | "blobs">, part: Extract<RequestedPart, { type: "input_file" }>, param: string, inline: string[]): Promise<StoredInputFile> {
  if (part.file_url) throw new InvalidRequestError("'file_url' is not supported: this server fetches no URLs. Upload the file and send its file_id, or send its content as file_data.", { param: `${param}.file_url` });
  let file;
  if (part.file_data) {
    const filename = part.filename ?? "";
    if (!fileKindOf(filename)) throw unsupported(filename, `${param}.filename`);
    file = await saveGeneratedFile(dependencies, { filename, bytes: decodeFileData(part.file_data, `${param}.file_data`), purpose: "user_data" });
    inline.push(file.id);
  } else {
    const fileId = part.file_id ?? "";
    file = await dependencies.store.files.get(fileId);
    if (!file) throw new InvalidRequestError(`No file found with id '${fileId}'.`, { param: `${param}.file_id` });
    if (!fileKindOf(file.filename)) throw unsupported(file.filename, `${param}.file_id`);
  }
  return { type: "input_file", file_id: file.id, filename: file.filename };
}

const unsupported = (filename: string, param: string) =>
  new InvalidRequestError(`Unsupported file '${filename}': input_file takes PDF, DOCX, HTML, JSON and text files (code, Markdown, CSV…).`, { param });

/**
 * Turns the items of a request into what a thread takes, then hands them to `use` (which writes them): an
 * item reference becomes a copy of the item it names among `visible` (the items the request may see: its
 * conversation's, or its previous response's chain), and input files are checked. Inline files are stored
 * as Files first (their bytes go to the blob store, outside any transaction); if resolving or `use` fails,
 * they are deleted again, so a refused request leaves nothing behind. `param` names the request's list.
 */
export async function withInputItems<T>(
  dependencies: Pick<AppDependencies, "store" | "blobs">,
  requested: { items: RequestedInputItem[]; param: string; visible: () => Promise<ConversationItem[]> },
  use: (items: InputItem[]) => Promise<T>,
): Promise<T> {
  const inline: string[] = [];
  try {
    return await use(await resolveInputItems(dependencies, requested, inline));
  } catch (error) {
    for (const fileId of inline) await discardGeneratedFile(dependencies, fileId);
    throw error;
  }
}

async function resolveInputItems(
  dependencies: Pick<AppDependencies, "store" | "blobs">,
  { items: requested, param, visible }: { items: RequestedInputItem[]; param: string; visible: () => Promise<ConversationItem[]> },
  inline: string[],
): Promise<InputItem[]> {
  let seen: ConversationItem[] | undefined;
  const resolved: InputItem[] = [];
  for (const [index, item] of requested.entries()) {
    if (isItemReference(item)) {
      seen ??= await visible();
      const found = seen.find((candidate) => candidate.id === item.id);
      if (!found) throw new NotFoundError(`Item with id '${item.id}' not found.`);
      resolved.push(toInput(found));
      continue;
    }
    if (!("role" in item)) {
      resolved.push(item);
      continue;
    }
    if (typeof item.content === "string") {
      resolved.push({ ...item, content: item.content });
      continue;
    }
    const content: Exclude<MessageInput["content"], string> = [];
    for (const [partIndex, part] of item.content.entries()) {
      content.push(part.type === "input_file" ? await storedFile(dependencies, part, `${param}[${index}].content[${partIndex}]`, inline) : part);
    }
    resolved.push({ ...item, content });
  }
  return resolved;
}
