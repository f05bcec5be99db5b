import type { BlobStore } from "../../storage/blobs/blob-store.js";

/** How a code_interpreter image output is shown: its URL, from its container and container file ids. */
export type ImageUrls = (containerId: string, fileId: string) => Promise<string>;

/** Images larger than this keep their content path instead of being inlined into every answer that shows them. */
export const maxInlineImageBytes = 4 * 1024 * 1024;

export const containerFileContentPath = (containerId: string, fileId: string) => `/v1/containers/${containerId}/files/${fileId}/content`;

const signatures: [string, number[]][] = [
  ["image/png", [0x89, 0x50, 0x4e, 0x47]],
  ["image/jpeg", [0xff, 0xd8, 0xff]],
  ["image/gif", [0x47, 0x49, 0x46, 0x38]],
];

function sniffImageType(bytes: Buffer): string {
  if (bytes.subarray(0, 4).toString("latin1") === "RIFF" && bytes.subarray(8, 12).toString("latin1") === "WEBP") return "image/webp";
  return signatures.find(([, signature]) => signature.every((byte, index) => bytes[index] === byte))?.[0] ?? "image/png";
}

/**
 * As hosted, an image the code produced is shown as a data URL (`data:image/png;base64,…`), so any client
 * can draw it without fetching anything; one too large to inline (or gone) keeps its container file's
 * content path, which the Containers API serves.
 */
export function imageDataUrls(blobs: Pick<BlobStore, "open">): ImageUrls {
  return async (containerId, fileId) => {
    const opened = await blobs.open(fileId);
    if (!opened || opened.size > maxInlineImageBytes) {
      opened?.stream.destroy();
      return containerFileContentPath(containerId, fileId);
    }
    const chunks: Buffer[] = [];
    for await (const chunk of opened.stream) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array));
    const bytes = Buffer.concat(chunks);
    return `data:${sniffImageType(bytes)};base64,${bytes.toString("base64")}`;
  };
}
