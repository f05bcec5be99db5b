import { Hono } from "hono";
import type { AppDependencies } from "../../app-dependencies.js";
import type { Container } from "../../domain/containers.js";
import { newId } from "../../domain/ids.js";
import { listEnvelope, readListQuery } from "../../http/pagination.js";
import { parseWith, readJsonBody } from "../../http/validation.js";
import { withCurrentStatus } from "../../records/container-records.js";
import { receiveUpload } from "../files/multipart-upload.js";
import { createContainerFileSchema, createContainerSchema, listContainersQuerySchema } from "./containers.schema.js";
import {
  addFileById,
  addUploadedFile,
  containerFileContent,
  createContainer,
  deleteContainer,
  deleteContainerFile,
  getContainer,
  getContainerFile,
  getUsableContainer,
  listContainerFiles,
  listContainers,
} from "./containers.service.js";

/** The spec's `ContainerResource`: the status it has now, without what only this server keeps. */
export function viewContainer(container: Container) {
  const { thread_id: _thread, file_ids: _copied, ...view } = withCurrentStatus(container);
  return view;
}

export function containersRoutes(dependencies: AppDependencies) {
  const { store, blobs, config } = dependencies;
  return new Hono()
    .post("/", async (context) => context.json(viewContainer(await createContainer(dependencies, await readJsonBody(context, createContainerSchema)))))
    .get("/", async (context) => {
      const { name } = parseWith(listContainersQuerySchema, context.req.query());
      const { limit, order, after } = readListQuery(context);
      const page = await listContainers(store, { limit, order, ...(after ? { after } : {}), ...(name === undefined ? {} : { name }) });
      return context.json(listEnvelope({ ...page, data: page.data.map(viewContainer) }));
    })
    .get("/:container_id", async (context) => context.json(viewContainer(await getContainer(store, context.req.param("container_id")))))
    .delete("/:container_id", async (context) => context.json(await deleteContainer(dependencies, context.req.param("container_id"))))
    .post("/:container_id/files", async (context) => {
      const containerId = context.req.param("container_id");
      // Either an upload (multipart `file`) or a File to copy (JSON `file_id`), as the spec allows.
      if (/^multipart\/form-data/i.test(context.req.header("content-type") ?? "")) {
        await getUsableContainer(store, containerId);
        const upload = await receiveUpload(context.req.raw, { blobs, maxBytes: config.maxUploadBytes, blobId: newId("containerFile") });
        return context.json(await addUploadedFile(dependencies, containerId, upload));
      }
      const { file_id } = await readJsonBody(context, createContainerFileSchema);
      return context.json(await addFileById(dependencies, containerId, file_id));
    })
    .get("/:container_id/files", async (context) => {
      const { limit, order, after } = readListQuery(context);
      return context.json(listEnvelope(await listContainerFiles(store, context.req.param("container_id"), { limit, order, ...(after ? { after } : {}) })));
    })
    .get("/:container_id/files/:file_id", async (context) => context.json(await getContainerFile(store, context.req.param("container_id"), context.req.param("file_id"))))
    .delete("/:container_id/files/:file_id", async (context) => context.json(await deleteContainerFile(dependencies, context.req.param("container_id"), context.req.param("file_id"))))
    .get("/:container_id/files/:file_id/content", (context) => containerFileContent(dependencies, context.req.param("container_id"), context.req.param("file_id")));
}
