import { Readable } from "node:stream";
import type { ReadableStream as NodeReadableStream } from "node:stream/web";
import busboy from "busboy";
import { newId } from "../../domain/ids.js";
import { InvalidRequestError, PayloadTooLargeError } from "../../errors/api-error.js";
import type { BlobStore } from "../../storage/blobs/blob-store.js";

export interface ReceivedUpload {
  fileId: string;
  filename: string;
  bytes: number;
  /** The other form fields, as sent (validated by the caller). */
  fields: Record<string, string>;
}

// Multipart framing and the small form fields around the file.
const envelopeAllowanceBytes = 1024 * 1024;

function tooLarge(maxBytes: number): PayloadTooLargeError {
  return new PayloadTooLargeError(`File is too large: the maximum upload size on this server is ${maxBytes} bytes.`);
}

/**
 * Streams a `multipart/form-data` upload's `file` part straight to blob storage (never whole in memory)
 * and collects the other fields. Any failure (too large, malformed, no file) removes what was written,
 * so nothing is left half-stored.
 */
export async function receiveUpload(request: Request, options: { blobs: Pick<BlobStore, "write" | "delete">; maxBytes: number; blobId?: string }): Promise<ReceivedUpload> {
  const { blobs, maxBytes } = options;
  const contentType = request.headers.get("content-type") ?? "";
  if (!/^multipart\/form-data/i.test(contentType) || !request.body) {
    throw new InvalidRequestError("Uploads must be sent as multipart/form-data with a 'file' part.", { param: "file" });
  }
  const declaredLength = Number(request.headers.get("content-length"));
  if (Number.isFinite(declaredLength) && declaredLength > maxBytes + envelopeAllowanceBytes) throw tooLarge(maxBytes);

  // A container file's bytes are stored under its own id.
  const fileId = options.blobId ?? newId("file");
  const fields: Record<string, string> = {};
  let filename: string | undefined;
  let truncated = false;
  let stored: Promise<number> | undefined;
  try {
    await new Promise<void>((resolve, reject) => {
      const parser = busboy({
        headers: { "content-type": contentType },
        // busboy flags a file that reaches `fileSize` exactly, so allow one more byte and check below.
        limits: { fileSize: maxBytes + 1, files: 1, fields: 50 },
        defParamCharset: "utf8",
      });
      parser.on("file", (name, stream, info) => {
        if (name !== "file" || stored) {
          stream.resume();
          return;
        }
        filename = info.filename || "upload";
        stream.on("limit", () => {
          truncated = true;
        });
        stored = blobs.write(fileId, stream);
        // Reported after parsing ends; without a handler a disk error would be an unhandled rejection.
        stored.catch(() => undefined);
      });
      parser.on("field", (name, value) => {
        fields[name] = value;
      });
      parser.on("close", resolve);
      parser.on("error", (error: unknown) =>
        reject(new InvalidRequestError(`Could not parse the multipart body: ${error instanceof Error ? error.message : String(error)}.`)),
      );
      const body = Readable.fromWeb(request.body as unknown as NodeReadableStream<Uint8Array>);
      body.on("error", reject);
      body.pipe(parser);
    });
    if (!stored || filename === undefined) {
      throw new InvalidRequestError("Missing required parameter: 'file'.", { param: "file", code: "missing_required_parameter" });
    }
    const bytes = await stored;
    if (truncated || bytes > maxBytes) throw tooLarge(maxBytes);
    return { fileId, filename, bytes, fields };
  } catch (error) {
    await stored?.catch(() => undefined);
    await blobs.delete(fileId);
    throw error;
  }
}
