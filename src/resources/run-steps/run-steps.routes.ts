import { Hono, type Context } from "hono";
import type { AppDependencies } from "../../app-dependencies.js";
import { NotFoundError } from "../../errors/api-error.js";
import { apiVersionOf } from "../../http/api-version.js";
import { listEnvelope, readListQuery } from "../../http/pagination.js";
import type { RunStep } from "../../domain/objects.js";
import { getRun } from "../runs/runs.service.js";
import { viewRunStep } from "../wire-views.js";

/** Without `include[]=…file_search.results[*].content`, file search results are shown without their text. */
function withIncludedContent(step: RunStep, context: Context): RunStep {
  const include = context.req.queries("include[]") ?? context.req.queries("include") ?? [];
  if (include.includes("step_details.tool_calls[*].file_search.results[*].content")) return step;
  if (step.step_details.type !== "tool_calls") return step;
  const toolCalls = step.step_details.tool_calls.map((call) =>
    call.type === "file_search" && call.file_search.results
      ? { ...call, file_search: { ...call.file_search, results: call.file_search.results.map(({ content: _hidden, ...result }) => result) } }
      : call,
  );
  return { ...step, step_details: { type: "tool_calls", tool_calls: toolCalls } };
}

export function runStepsRoutes({ store, config }: AppDependencies) {
  return new Hono()
    .get("/:thread_id/runs/:run_id/steps", async (context) => {
      const run = await getRun(store, context.req.param("thread_id"), context.req.param("run_id"));
      const page = await store.runSteps.list({ ...readListQuery(context), parentId: run.id });
      const version = apiVersionOf(context);
      context.header("openai-poll-after-ms", String(config.pollAfterMs));
      return context.json(
        listEnvelope({ ...page, data: page.data.map((step) => viewRunStep(withIncludedContent(step, context), version)) }),
      );
    })
    .get("/:thread_id/runs/:run_id/steps/:step_id", async (context) => {
      const run = await getRun(store, context.req.param("thread_id"), context.req.param("run_id"));
      const step = await store.runSteps.get(context.req.param("step_id"), run.id);
      if (!step) throw NotFoundError.object("run step", context.req.param("step_id"));
      context.header("openai-poll-after-ms", String(config.pollAfterMs));
      return context.json(viewRunStep(withIncludedContent(step, context), apiVersionOf(context)));
    });
}
