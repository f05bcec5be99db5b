import { randomUUID } from "node:crypto";
import { Hono, type MiddlewareHandler } from "hono";
import type { AppDependencies } from "./app-dependencies.js";
import { InvalidRequestError, NotFoundError, ServiceUnavailableError, toErrorBody } from "./errors/api-error.js";
import { InvalidCursorError, isConnectionError } from "./storage/storage-errors.js";

/** Storage speaks of storage; here its errors get their HTTP meaning. */
function asApiError(error: Error): Error {
  if (error instanceof InvalidCursorError) return new InvalidRequestError(error.message, { param: error.param });
  if (isConnectionError(error)) return new ServiceUnavailableError();
  return error;
}
import { adminAuth, projectAuth } from "./http/auth.js";
import { ProjectKeys } from "./http/project-keys.js";
import { requestStore } from "./http/request-store.js";
import { observeRequests } from "./http/observe-requests.js";
import { BodyBudget, withBodyBudget } from "./http/json-body.js";
import { idempotentRetries } from "./http/idempotency/idempotency.js";
import { assistantsRoutes } from "./resources/assistants/assistants.routes.js";
import { containersRoutes } from "./resources/containers/containers.routes.js";
import { conversationsRoutes } from "./resources/conversations/conversations.routes.js";
import { filesRoutes } from "./resources/files/files.routes.js";
import { assistantFilesRoutes } from "./resources/files/v1/assistant-files.routes.js";
import { messageFilesRoutes } from "./resources/files/v1/message-files.routes.js";
import { messagesRoutes } from "./resources/messages/messages.routes.js";
import { projectsRoutes } from "./resources/projects/projects.routes.js";
import { responsesRoutes } from "./resources/responses/responses.routes.js";
import { runStepsRoutes } from "./resources/run-steps/run-steps.routes.js";
import { runsRoutes } from "./resources/runs/runs.routes.js";
import { threadsRoutes } from "./resources/threads/threads.routes.js";
import { usageRoutes } from "./resources/usage/usage.routes.js";
import { vectorStoresRoutes } from "./resources/vector-stores/vector-stores.routes.js";

const allowedHeaders =
  "authorization, content-type, idempotency-key, openai-beta, openai-organization, openai-project, x-stainless-lang, x-stainless-package-version, x-stainless-os, x-stainless-arch, x-stainless-runtime, x-stainless-runtime-version, x-stainless-retry-count, x-stainless-timeout, x-stainless-poll-helper, x-stainless-custom-poll-interval, x-stainless-helper-method, x-stainless-helper";

/** The CORS headers browser clients (`dangerouslyAllowBrowser`) need; preflights end here. */
const cors: MiddlewareHandler = async (context, next) => {
  context.header("access-control-allow-origin", "*");
  context.header("access-control-expose-headers", "x-request-id, openai-poll-after-ms, idempotent-replayed");
  if (context.req.method === "OPTIONS") {
    context.header("access-control-allow-methods", "GET, POST, DELETE, OPTIONS");
    context.header("access-control-allow-headers", allowedHeaders);
    return context.body(null, 204);
  }
  return next();
};

export type AppVariables = { requestId: string };

/** JSON bodies read at once: room for four of the largest, and never less than this. */
const MIN_IN_FLIGHT_BODY_BYTES = 256 * 1024 * 1024;

export function createApp(appDependencies: AppDependencies, options: { ui?: MiddlewareHandler } = {}) {
  // The routes see only the objects of the request's project (`request-store.ts`).
  const dependencies = { ...appDependencies, store: requestStore(appDependencies.store) };
  const { logger, config } = dependencies;
  const projectKeys = new ProjectKeys(appDependencies.store, logger);
  const app = new Hono<{ Variables: AppVariables }>();

  // First: the request's span is active for everything after, log lines included.
  if (dependencies.telemetry) app.use(observeRequests(dependencies.telemetry));
  app.use(async (context, next) => {
    const requestId = context.req.header("x-request-id") ?? `req_${randomUUID().replaceAll("-", "")}`;
    context.set("requestId", requestId);
    context.header("x-request-id", requestId);
    const started = performance.now();
    await next();
    logger.info("request", {
      requestId,
      method: context.req.method,
      path: context.req.path,
      status: context.res.status,
      durationMs: Math.round((performance.now() - started) * 10) / 10,
    });
  });

  app.onError((error, context) => {
    const { status, body } = toErrorBody(asApiError(error));
    if (status >= 500) logger.error("request failed", { requestId: context.get("requestId"), error: String(error), stack: error.stack });
    return context.json(body, status as 400);
  });

  app.notFound((context) => {
    const { status, body } = toErrorBody(new NotFoundError(`Invalid URL (${context.req.method} ${context.req.path})`));
    return context.json(body, status as 404);
  });

  // Liveness: the process answers. Readiness: it can also reach its database.
  app.get("/healthz", (context) => context.json({ status: "ok" }));
  app.get("/readyz", async (context) => {
    try {
      await dependencies.store.ping();
      return context.json({ status: "ready" });
    } catch (error) {
      return context.json({ status: "unavailable", reason: String(error) }, 503);
    }
  });

  const metrics = dependencies.telemetry?.metrics;
  if (metrics) {
    app.get("/metrics", adminAuth(config.adminKey, { whenUnset: "open" }), async (context) => {
      const { contentType, body } = await metrics.render();
      return context.body(body, 200, { "content-type": contentType });
    });
  }
  // Before `/v1/*`: the admin key, not the API keys, opens these.
  const bodyBudget = new BodyBudget(config.maxJsonBodyBytes, Math.max(4 * config.maxJsonBodyBytes, MIN_IN_FLIGHT_BODY_BYTES));
  app.use("/v1/organization/*", cors, adminAuth(config.adminKey, { whenUnset: "disabled" }), withBodyBudget(bodyBudget));
  app.route("/v1/organization/usage", usageRoutes(dependencies));
  app.route("/v1/organization/projects", projectsRoutes({ store: appDependencies.store, projectKeys }));

  const idempotency = idempotentRetries({
    keys: dependencies.store.idempotencyKeys,
    leaseMs: config.runLeaseSeconds * 1000,
    readBack: async (path, headers) => app.request(path, { headers }),
    logger,
  });
  app.use("/v1/*", cors, projectAuth(config.apiKeys, projectKeys), withBodyBudget(bodyBudget), idempotency);
  const v1 = new Hono();
  v1.route("/assistants", assistantsRoutes(dependencies));
  // Runs first: `POST /threads/runs` must not be taken for `POST /threads/{thread_id}`.
  v1.route("/threads", runsRoutes(dependencies));
  v1.route("/threads", threadsRoutes(dependencies));
  v1.route("/threads", messagesRoutes(dependencies));
  v1.route("/threads", runStepsRoutes(dependencies));
  v1.route("/files", filesRoutes(dependencies));
  v1.route("/vector_stores", vectorStoresRoutes(dependencies));
  v1.route("/conversations", conversationsRoutes(dependencies));
  v1.route("/responses", responsesRoutes(dependencies));
  v1.route("/containers", containersRoutes(dependencies));
  // v1 (`OpenAI-Beta: assistants=v1`) file lists of assistants and messages.
  v1.route("/assistants", assistantFilesRoutes(dependencies));
  v1.route("/threads", messageFilesRoutes(dependencies));
  app.route("/v1", v1);
  if (options.ui) app.use("*", options.ui);
  return app;
}
