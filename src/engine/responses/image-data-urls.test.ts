import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { imageDataUrls, maxInlineImageBytes } from "./image-data-urls.js";

const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from("chart")]);
const jpeg = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3]);

function blobsHolding(blobs: Record<string, Buffer | { size: number }>) {
  return {
    open: async (id: string) => {
      const blob = blobs[id];
      if (!blob) return undefined;
      return Buffer.isBuffer(blob) ? { stream: Readable.from([blob.subarray(0, 3), blob.subarray(3)]), size: blob.length } : { stream: Readable.from([]), size: blob.size };
    },
  };
}

describe("code output images", () => {
  it("are data URLs of their bytes, typed by their signature", async () => {
    const urls = imageDataUrls(blobsHolding({ cfile_png: png, cfile_jpeg: jpeg }));
    expect(await urls("cntr_1", "cfile_png")).toBe(`data:image/png;base64,${png.toString("base64")}`);
    expect(await urls("cntr_1", "cfile_jpeg")).toBe(`data:image/jpeg;base64,${jpeg.toString("base64")}`);
  });

  it("keep their content path when too large to inline, or gone", async () => {
    const urls = imageDataUrls(blobsHolding({ cfile_big: { size: maxInlineImageBytes + 1 } }));
    expect(await urls("cntr_1", "cfile_big")).toBe("/v1/containers/cntr_1/files/cfile_big/content");
    expect(await urls("cntr_1", "cfile_gone")).toBe("/v1/containers/cntr_1/files/cfile_gone/content");
  });
});
