import { Hono } from "hono";
import type { AppDependencies } from "../../app-dependencies.js";
import { listEnvelope } from "../../http/pagination.js";
import { parseWith } from "../../http/validation.js";
import { listFilesQuerySchema } from "./files.schema.js";
import { createUploadedFile, deleteFile, fileContentResponse, getReadableFile, listFiles } from "./files.service.js";
import { receiveUpload } from "./multipart-upload.js";
import { viewFile } from "../wire-views.js";

export function filesRoutes(dependencies: AppDependencies) {
  const { store, blobs, config } = dependencies;
  return new Hono()
    .post("/", async (context) => {
      const upload = await receiveUpload(context.req.raw, { blobs, maxBytes: config.maxUploadBytes });
      return context.json(viewFile(await createUploadedFile(dependencies, upload)));
    })
    .get("/", async (context) => {
      const query = parseWith(listFilesQuerySchema, context.req.query());
      const page = await listFiles(store, query);
      return context.json(listEnvelope({ ...page, data: page.data.map(viewFile) }));
    })
    .get("/:file_id", async (context) => context.json(viewFile(await getReadableFile(store, context.req.param("file_id")))))
    .delete("/:file_id", async (context) => context.json(await deleteFile(dependencies, context.req.param("file_id"))))
    .get("/:file_id/content", (context) => fileContentResponse(dependencies, context.req.param("file_id")));
}
