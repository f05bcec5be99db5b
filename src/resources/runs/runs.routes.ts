import { Hono, type Context } from "hono";
import type { AppDependencies } from "../../app-dependencies.js";
import { newId } from "../../domain/ids.js";
import type { Run } from "../../domain/objects.js";
import { InvalidRequestError } from "../../errors/api-error.js";
import { apiVersionOf } from "../../http/api-version.js";
import { listEnvelope, readListQuery } from "../../http/pagination.js";
import { readJsonBody } from "../../http/validation.js";
import { streamRunEvents } from "../../http/sse-response.js";
import { viewRun } from "../wire-views.js";
import { waitForRunChange } from "./wait-for-run-change.js";
import {
  createRunSchemaV1,
  createRunSchemaV2,
  createThreadAndRunSchemaV1,
  createThreadAndRunSchemaV2,
  includeValues,
  modifyRunSchema,
  modifyRunSchemaV1,
  submitToolOutputsSchema,
} from "./runs.schema.js";
import {
  cancelRun,
  createRun,
  createThreadAndRun,
  getRun,
  listRuns,
  modifyRunMetadata,
  submitToolOutputs,
} from "./runs.service.js";

/** How long a poll-helper request is held waiting for the run to change (well under SDK timeouts). */
const longPollMs = 5000;

function readInclude(context: Context): string[] {
  const include = context.req.queries("include[]") ?? context.req.queries("include") ?? [];
  for (const value of include) {
    if (!(includeValues as readonly string[]).includes(value)) {
      throw new InvalidRequestError(`Invalid 'include[]': '${value}' is not one of ${includeValues.join(", ")}.`, { param: "include" });
    }
  }
  return include;
}

export function runsRoutes(dependencies: AppDependencies) {
  const { store, bus, config } = dependencies;
  const pollHint = (context: Context) => context.header("openai-poll-after-ms", String(config.pollAfterMs));

  /**
   * Runs `change` for the run `runId`; with `stream`, answers with the run's events (subscribed before
   * anything is published), otherwise with the run as JSON. Errors before the stream starts stay JSON.
   * `creates`: `change` creates the run, so its event log is empty yet.
   */
  async function respond(context: Context, runId: string, stream: boolean, change: () => Promise<Run>, creates = false) {
    const version = apiVersionOf(context);
    if (!stream) {
      const run = await change();
      pollHint(context);
      return context.json(viewRun(run, version));
    }
    const subscription = bus.subscribe(runId, creates ? 0 : undefined);
    try {
      await change();
    } catch (error) {
      subscription.close();
      throw error;
    }
    return streamRunEvents(context, subscription, version);
  }

  return new Hono()
    .post("/runs", async (context) => {
      const body = await readJsonBody(context, apiVersionOf(context) === "v1" ? createThreadAndRunSchemaV1 : createThreadAndRunSchemaV2);
      const runId = newId("run");
      return respond(context, runId, body.stream === true, () => createThreadAndRun(dependencies, runId, body), true);
    })
    .post("/:thread_id/runs", async (context) => {
      const include = readInclude(context);
      const body = await readJsonBody(context, apiVersionOf(context) === "v1" ? createRunSchemaV1 : createRunSchemaV2);
      const runId = newId("run");
      return respond(context, runId, body.stream === true, () =>
        createRun(dependencies, context.req.param("thread_id"), runId, body, include), true,
      );
    })
    .get("/:thread_id/runs", async (context) => {
      const page = await listRuns(store, context.req.param("thread_id"), readListQuery(context));
      const version = apiVersionOf(context);
      return context.json(listEnvelope({ ...page, data: page.data.map((run) => viewRun(run, version)) }));
    })
    .get("/:thread_id/runs/:run_id", async (context) => {
      const threadId = context.req.param("thread_id");
      const runId = context.req.param("run_id");
      const load = () => getRun(store, threadId, runId);
      const run = context.req.header("x-stainless-poll-helper") === "true" ? await waitForRunChange(bus, runId, load, longPollMs) : await load();
      pollHint(context);
      return context.json(viewRun(run, apiVersionOf(context)));
    })
    .post("/:thread_id/runs/:run_id", async (context) => {
      const version = apiVersionOf(context);
      const { metadata } = await readJsonBody(context, version === "v1" ? modifyRunSchemaV1 : modifyRunSchema);
      const run = await modifyRunMetadata(store, context.req.param("thread_id"), context.req.param("run_id"), metadata);
      return context.json(viewRun(run, version));
    })
    .post("/:thread_id/runs/:run_id/cancel", async (context) => {
      const run = await cancelRun(dependencies, context.req.param("thread_id"), context.req.param("run_id"));
      pollHint(context);
      return context.json(viewRun(run, apiVersionOf(context)));
    })
    .post("/:thread_id/runs/:run_id/submit_tool_outputs", async (context) => {
      const body = await readJsonBody(context, submitToolOutputsSchema);
      const threadId = context.req.param("thread_id");
      const runId = context.req.param("run_id");
      return respond(context, runId, body.stream === true, () =>
        submitToolOutputs(dependencies, threadId, runId, body.tool_outputs),
      );
    });
}
