import type { AppDependencies } from "../../app-dependencies.js";
import type { Assistant, AssistantTool, Message, Run, RunTelemetry, Thread } from "../../domain/objects.js";
import { unixNow } from "../../domain/time.js";
import { InvalidRequestError, NotFoundError } from "../../errors/api-error.js";
import { RunChangedError, RunRecorder } from "../../engine/run-recorder.js";
import { transition } from "../../engine/run-machine.js";
import type { ListQuery } from "../../storage/collection.js";
import { DuplicateKeyError } from "../../storage/storage-errors.js";
import type { Store } from "../../storage/store.js";
import { getAssistant } from "../assistants/assistants.service.js";
import { assertNoActiveRun, buildUserMessage, getThreadOrThrow } from "../messages/messages.service.js";
import { insertThread, threadInsertsOnly } from "../threads/threads.service.js";
import { dispatchNewRun, type InsertRun } from "./run-dispatch.js";
import type { CreateRunRequest, CreateThreadAndRunRequest } from "./runs.schema.js";

type RunOverrides = CreateRunRequest | CreateThreadAndRunRequest;

function normalizeTools(tools: NonNullable<RunOverrides["tools"]>): AssistantTool[] {
  return tools.map((tool) => (tool.type === "retrieval" ? { type: "file_search" } : (tool as AssistantTool)));
}

/** The run as created: the assistant's settings with the request's overrides on top. */
function buildRun(
  runId: string,
  assistant: Assistant,
  thread: Thread,
  request: RunOverrides,
  include: string[],
  expirySeconds: number,
  telemetry: RunTelemetry,
): Run {
  const now = unixNow();
  const baseInstructions = request.instructions ?? assistant.instructions ?? "";
  const additional = "additional_instructions" in request ? request.additional_instructions : undefined;
  return {
    id: runId,
    object: "thread.run",
    created_at: now,
    thread_id: thread.id,
    assistant_id: assistant.id,
    status: "queued",
    required_action: null,
    last_error: null,
    expires_at: now + expirySeconds,
    started_at: null,
    cancelled_at: null,
    failed_at: null,
    completed_at: null,
    incomplete_details: null,
    model: request.model ?? assistant.model,
    instructions: additional ? [baseInstructions, additional].filter((part) => part.length > 0).join("\n\n") : baseInstructions,
    tools: request.tools ? normalizeTools(request.tools) : assistant.tools,
    metadata: request.metadata ?? {},
    usage: null,
    temperature: request.temperature ?? assistant.temperature,
    top_p: request.top_p ?? assistant.top_p,
    max_prompt_tokens: request.max_prompt_tokens ?? null,
    max_completion_tokens: request.max_completion_tokens ?? null,
    truncation_strategy: {
      type: request.truncation_strategy?.type ?? "auto",
      last_messages: request.truncation_strategy?.last_messages ?? null,
    },
    tool_choice: request.tool_choice ?? "auto",
    parallel_tool_calls: request.parallel_tool_calls ?? true,
    response_format: request.response_format ?? assistant.response_format,
    file_ids: assistant.file_ids,
    include,
    reasoning_effort: request.reasoning_effort ?? assistant.reasoning_effort ?? null,
    telemetry,
  };
}

/** Creation time to the millisecond, and this request's trace for the executor (in whichever process) to continue. */
function runTelemetry(dependencies: AppDependencies): RunTelemetry {
  const traceparent = dependencies.telemetry?.tracing.activeTraceparent();
  return { created_ms: Date.now(), ...(traceparent ? { traceparent } : {}) };
}

/** Inserts a new run; the database refuses a second active run on one thread, whichever process races. */
async function insertRun(insert: InsertRun, transaction: Store, run: Run, threadMessages?: Message[]): Promise<void> {
  try {
    await insert(transaction, run, threadMessages);
  } catch (error) {
    if (error instanceof DuplicateKeyError && (error.constraint === "runs_one_active_per_thread" || error.constraint === "runs.parent_id")) {
      throw new InvalidRequestError(`Thread ${run.thread_id} already has an active run.`);
    }
    throw error;
  }
}

/**
 * Creates a queued run and hands it to the run queue. `runId` is chosen by the caller so a streaming
 * response can subscribe to the run's events before the first one is published.
 */
export async function createRun(
  dependencies: AppDependencies,
  threadId: string,
  runId: string,
  request: CreateRunRequest,
  include: string[],
): Promise<Run> {
  const { store, config } = dependencies;
  const recorder = new RunRecorder(dependencies);
  return dispatchNewRun(dependencies.runQueue, (insert) => store.transaction(async (transaction) => {
    const thread = await getThreadOrThrow(transaction, threadId);
    const assistant = await getAssistant(transaction, request.assistant_id);
    await assertNoActiveRun(transaction, threadId, "create a run on");
    for (const messageRequest of request.additional_messages ?? []) {
      await transaction.messages.insert(await buildUserMessage(transaction, threadId, messageRequest));
    }
    const created = buildRun(runId, assistant, thread, request, include, config.runExpirySeconds, runTelemetry(dependencies));
    await insertRun(insert, transaction, created);
    recorder.publish(created.id, { type: "run.created", run: created }, transaction);
    return created;
  }));
}

export async function createThreadAndRun(
  dependencies: AppDependencies,
  runId: string,
  request: CreateThreadAndRunRequest,
): Promise<Run> {
  const { store, config } = dependencies;
  const recorder = new RunRecorder(dependencies);
  const threadRequest = request.thread ?? {};
  const toolResources = "tool_resources" in request ? request.tool_resources : undefined;
  const fullThreadRequest = toolResources ? { ...threadRequest, tool_resources: toolResources } : threadRequest;
  // The common case (a thread with a message) reads the assistant and then only inserts: on Postgres the
  // thread, its message, the run and its first events are then one statement, without BEGIN and COMMIT.
  const transact = threadInsertsOnly(fullThreadRequest) ? store.insertTransaction.bind(store) : store.transaction.bind(store);
  return dispatchNewRun(dependencies.runQueue, (insert) => transact(async (transaction) => {
    const assistant = await getAssistant(transaction, request.assistant_id);
    const { thread, messages } = await insertThread(transaction, fullThreadRequest);
    const run = buildRun(runId, assistant, thread, request, [], config.runExpirySeconds, runTelemetry(dependencies));
    // The run's executor needs not read the new thread's messages for its first prompt.
    await insertRun(insert, transaction, run, messages);
    recorder.publish(run.id, { type: "thread.created", thread }, transaction);
    recorder.publish(run.id, { type: "run.created", run }, transaction);
    return run;
  }));
}

export async function getRun(store: Store, threadId: string, runId: string): Promise<Run> {
  const run = await store.runs.get(runId, threadId);
  if (run) return run;
  // Only a miss needs to know which of the two ids is unknown.
  await getThreadOrThrow(store, threadId);
  throw NotFoundError.object("run", runId);
}

export async function listRuns(store: Store, threadId: string, query: ListQuery): Promise<{ data: Run[]; hasMore: boolean }> {
  await getThreadOrThrow(store, threadId);
  return store.runs.list({ ...query, parentId: threadId });
}

export async function modifyRunMetadata(store: Store, threadId: string, runId: string, metadata: Run["metadata"] | null | undefined) {
  return store.transaction(async (transaction) => {
    const run = await getRun(transaction, threadId, runId);
    if (metadata === undefined) return run;
    const next = { ...run, metadata: metadata ?? {} };
    await transaction.runs.update(next);
    return next;
  });
}

/**
 * A waiting run is cancelled at once; a queued or working one goes to `cancelling`, and its executor is
 * told to stop (it aborts the upstream call and finishes the cancel).
 */
export async function cancelRun(dependencies: AppDependencies, threadId: string, runId: string): Promise<Run> {
  const recorder = new RunRecorder(dependencies);
  // The executor (in any process) may move the run on between the read and the write: read again and decide again.
  for (let attempt = 1; ; attempt += 1) {
    const run = await getRun(dependencies.store, threadId, runId);
    if (run.status !== "queued" && run.status !== "in_progress" && run.status !== "requires_action") {
      throw new InvalidRequestError(`Cannot cancel run with status '${run.status}'.`);
    }
    const finishesAtOnce = transition(run, { type: "request_cancel" }, run.created_at).status === "cancelled";
    try {
      return await dependencies.store.transaction(async (transaction) => {
        if (finishesAtOnce) await recorder.closeOpenWork(run.id, "cancelled", transaction);
        const next = await recorder.apply(run, { type: "request_cancel" }, transaction);
        // The executor, in whichever process, stops its model call once this commits.
        if (next.status === "cancelling") dependencies.bus.publish(transaction, run.id, { kind: "cancel-requested" });
        return next;
      });
    } catch (error) {
      if (!(error instanceof RunChangedError) || attempt >= 5) throw error;
    }
  }
}

export async function submitToolOutputs(
  dependencies: AppDependencies,
  threadId: string,
  runId: string,
  toolOutputs: { tool_call_id: string; output: string }[],
): Promise<Run> {
  const { store } = dependencies;
  const run = await getRun(store, threadId, runId);
  if (run.status !== "requires_action" || !run.required_action) {
    throw new InvalidRequestError(`Runs in status "${run.status}" do not accept tool outputs.`);
  }
  const expected = run.required_action.submit_tool_outputs.tool_calls.map((call) => call.id);
  const given = toolOutputs.map((output) => output.tool_call_id);
  const missing = expected.filter((id) => !given.includes(id));
  const unexpected = given.filter((id) => !expected.includes(id));
  const duplicated = given.filter((id, index) => given.indexOf(id) !== index);
  if (missing.length > 0 || unexpected.length > 0 || duplicated.length > 0) {
    const problems = [
      missing.length > 0 ? `missing outputs for ${missing.join(", ")}` : "",
      unexpected.length > 0 ? `no pending tool call with id ${unexpected.join(", ")}` : "",
      duplicated.length > 0 ? `more than one output for ${duplicated.join(", ")}` : "",
    ].filter((problem) => problem.length > 0);
    throw new InvalidRequestError(
      `Expected tool outputs for call_ids [${expected.join(", ")}], got [${given.join(", ")}]: ${problems.join("; ")}.`,
      { param: "tool_outputs" },
    );
  }
  const recorder = new RunRecorder(dependencies);
  const outputs = new Map(toolOutputs.map((output) => [output.tool_call_id, output.output]));
  const [step] = (await store.runSteps.findAll({ runId, statuses: ["in_progress"] })).filter(
    (candidate) => candidate.step_details.type === "tool_calls",
  );
  // The hosted stream shows the finished tool step before the run is queued again.
  const queued = await store.transaction(async (transaction) => {
    if (step && step.step_details.type === "tool_calls") {
      const toolCalls = step.step_details.tool_calls.map((call) =>
        call.type === "function" && outputs.has(call.id)
          ? { ...call, function: { ...call.function, output: outputs.get(call.id) ?? "" } }
          : call,
      );
      const completed = {
        ...step,
        status: "completed" as const,
        completed_at: unixNow(),
        step_details: { type: "tool_calls" as const, tool_calls: toolCalls },
      };
      await recorder.finishStep(completed, transaction);
    }
    return recorder.apply(run, { type: "submit_tool_outputs" }, transaction);
  });
  dependencies.runQueue.wake();
  return queued;
}
