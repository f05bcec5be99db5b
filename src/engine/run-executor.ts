import { setTimeout as wait } from "node:timers/promises";
import { APICallError } from "@ai-sdk/provider";
import type { RunEventBus } from "../events/run-event-bus.js";
import type { Logger } from "../logging/logger.js";
import type { Annotation, Message, MessageContent, Run, RunStep, ToolCall, Usage } from "../domain/objects.js";
import { unixNow } from "../domain/time.js";
import type { ModelProvider } from "../providers/model-provider.js";
import type { BlobStore } from "../storage/blobs/blob-store.js";
import type { RunLease } from "../storage/run-leases.js";
import type { Store } from "../storage/store.js";
import { handedBack, recoverInterruptedRun } from "./run-recovery.js";
import { modelCallOptions } from "./call-options.js";
import { openMessage, publishToolProgress, streamModelTurn, TurnFailedAfterOutputError, type TurnOutcome } from "./model-turn.js";
import { buildPrompt } from "./prompt-builder.js";
import { decideNextStep } from "./next-step.js";
import { addUsage, terminalRunStatuses } from "./run-machine.js";
import { RunChangedError, RunRecorder } from "./run-recorder.js";
import type { BuiltinTool, BuiltinToolScope, BuiltinToolType } from "./tools/builtin-tool.js";
import { isRetryableUpstreamError, toRunError, upstreamErrorCode } from "./upstream-errors.js";
import { inRunSpan, inStepSpan, observeModelCall, observeToolCall, type EngineTelemetry } from "./run-tracing.js";
import { mergeDelta } from "../domain/merge-delta.js";
import type { ToolCallFragment } from "../domain/run-item-events.js";
import { loadTokenCounter } from "./token-count.js";
import { imageMediaType } from "./image-media-type.js";
import { fileTextLoader } from "./responses/file-text.js";
import { isResponseRun, responseHistory } from "./responses/response-runs.js";
import { ToolCallLimit } from "./responses/tool-call-limit.js";

export interface ExecutorDependencies {
  store: Store;
  bus: RunEventBus;
  logger: Logger;
  models: ModelProvider;
  builtinTools: BuiltinTool[];
  blobs: Pick<BlobStore, "readBytes" | "withLocalFile">;
  upstreamMaxRetries: number;
  upstreamRetryBaseMs: number;
  /** How long a claimed run's lease lasts without renewal; every write of the executor extends it. */
  leaseTtlMs: number;
  telemetry: EngineTelemetry;
}

/** A run may call the model this many times in one go (tool loops that never end are cut off). */
const maxModelCallsPerExecution = 24;

class RunStopped extends Error {
  override name = "RunStopped";
}


function retryDelay(error: unknown, attempt: number, baseMs: number): number {
  const header = APICallError.isInstance(error) ? error.responseHeaders?.["retry-after-ms"] : undefined;
  const hinted = header === undefined ? Number.NaN : Number(header);
  return Number.isFinite(hinted) ? Math.min(hinted, 30_000) : baseMs * 2 ** attempt;
}

function sumUsage(steps: RunStep[]): Usage | null {
  return steps.reduce<Usage | null>((total, step) => (step.usage ? addUsage(total, step.usage) : total), null);
}

/**
 * Executes one run job: the I/O shell around `run-machine.ts`. It claims a queued run, loops model calls
 * and builtin tools until the run completes or needs the client's tool outputs, and always leaves the run
 * in a status that says what happened (never stuck in `in_progress`).
 */
export function createRunExecutor(dependencies: ExecutorDependencies): (lease: RunLease, handBack: AbortSignal) => Promise<void> {
  const { bus, logger } = dependencies;

  return async function executeRun(lease: RunLease, handBack: AbortSignal): Promise<void> {
    const { runId } = lease;
    // Everything the run reads and creates stays within its project.
    const store = dependencies.store.forProject(lease.projectId);
    const recorder = new RunRecorder({ ...dependencies, store }, { lease, ttlMs: dependencies.leaseTtlMs });
    const execution = createExecution(store, recorder, handBack, lease.claimed?.run.status === "queued" ? lease.claimed.threadMessages : undefined);
    const cancel = new AbortController();
    // A run claimed `queued` starts from the claim's copy (no read): a cancel committed since the claim makes
    // the start's conditional write fail, and the run settles as cancelled. Any other run is read again below.
    const claimed = lease.claimed?.run.status === "queued" ? lease.claimed : undefined;
    const control = bus.subscribe(runId, claimed?.eventSeq);
    void (async () => {
      for await (const message of control) if (message.kind === "cancel-requested") cancel.abort(new RunStopped("cancelled"));
    })();
    try {
      // A cancel committed after this point reaches `control`; one committed before shows in the run read
      // next, or fails the start of a run claimed queued.
      await bus.flush(runId);
      const run = claimed?.run ?? (await store.runs.get(runId));
      if (!run) return;
      await inRunSpan(dependencies.telemetry, run, () => execution.dispatch(run, lease, AbortSignal.any([cancel.signal, handBack]), claimed?.committed));
    } catch (error) {
      await execution.settle(runId, error).catch((settleError: unknown) => {
        if (handedBack(settleError, handBack)) return;
        logger.error("could not record run failure", { runId, error: String(settleError) });
        // The run's status could not be written, so no run event will end its streams: end them with an error.
        const body = { message: "The server failed while running this run.", type: "server_error", param: null, code: "server_error" };
        recorder.publish(runId, { type: "error", error: body });
      });
    } finally {
      control.close();
    }
  };

  /** The steps of one execution, writing through its lease-fenced recorder. */
  /** `threadMessages`: the thread's messages as the run's creator wrote them, for the first prompt instead of a read. */
  function createExecution(store: Store, recorder: RunRecorder, handBack: AbortSignal, threadMessages?: Message[]) {
    let knownMessages = threadMessages;

    /** Carries the run on from where it stands; `committed`: the run's insert is still being committed (see `RunLease`). */
    async function dispatch(run: Run, lease: RunLease, signal: AbortSignal, committed?: Promise<unknown>): Promise<void> {
      if (committed && (run.status !== "queued" || (run.expires_at !== null && unixNow() >= run.expires_at))) await committed;
      if (run.status === "cancelling") return finishCancel(run);
      if (run.status === "in_progress") {
        const continued = await recoverInterruptedRun(run, lease, recorder, store, logger);
        if (continued) await work(continued, true, signal);
        return;
      }
      if (run.status !== "queued") return;
      if (run.expires_at !== null && unixNow() >= run.expires_at) return expire(run);
      const resumed = run.started_at !== null;
      // The model is called while the start is written: the first token does not wait for that commit.
      // The turn's first write waits for it (so its events come first); if it fails, the model call is cut
      // off and its error is the one the run settles on. A run handed over before its insert committed is
      // started once it has.
      const start = recorder.applyAhead(run, { type: "start" }, store, committed);
      const startFailed = new AbortController();
      start.written.catch(() => startFailed.abort());
      try {
        await work(start.next, resumed, AbortSignal.any([signal, startFailed.signal]), start.written);
      } catch (error) {
        await start.written;
        throw error;
      }
    }

    async function finishCancel(run: Run): Promise<void> {
      await recorder.closeOpenWork(run.id, "cancelled");
      await recorder.apply({ ...run, usage: sumUsage(await store.runSteps.findAll({ parentId: run.id })) }, { type: "finish_cancel" });
    }

    async function expire(run: Run): Promise<void> {
      await recorder.closeOpenWork(run.id, "expired");
      await recorder.apply(run, { type: "expire" });
    }

    /** Whatever went wrong, the run ends in a status that explains it. */
    async function settle(runId: string, error: unknown): Promise<void> {
      const run = await store.runs.get(runId);
      if (!run || terminalRunStatuses.includes(run.status) || run.status === "requires_action") return;
      if (run.status === "cancelling") return finishCancel(run);
      if (error instanceof RunChangedError) return;
      // Shutting down, taken over, or the database is gone: the run stays as it is and is continued by
      // whichever process claims it next.
      if (handedBack(error, handBack)) return void logger.info("run handed back", { runId, reason: String(handBack.reason ?? error) });
      const cause = error instanceof TurnFailedAfterOutputError ? error.cause : error;
      logger.warn("run failed", { runId, error: cause instanceof Error ? cause.message : String(cause) });
      await recorder.closeOpenWork(runId, "failed");
      const usage = sumUsage(await store.runSteps.findAll({ parentId: runId }));
      await recorder.apply({ ...run, usage }, { type: "fail", error: toRunError(cause) });
    }

    async function openScopes(run: Run, steps: RunStep[], signal: AbortSignal) {
      const scopes = new Map<BuiltinToolType, BuiltinToolScope>();
      if (run.tools.every((tool) => tool.type === "function")) return scopes;
      const thread = await store.threads.get(run.thread_id);
      if (!thread) throw new Error(`Thread ${run.thread_id} no longer exists.`);
      const context = { run, assistant: await store.assistants.get(run.assistant_id), thread, steps, signal, store };
      for (const tool of run.tools) {
        if (tool.type === "function" || scopes.has(tool.type)) continue;
        const builtin = dependencies.builtinTools.find((candidate) => candidate.type === tool.type);
        const reason = builtin ? builtin.unavailableReason() : "it is not enabled";
        if (!builtin || reason) throw new Error(`The ${tool.type} tool is not available on this server: ${reason}`);
        scopes.set(tool.type, await builtin.open(context));
      }
      return scopes;
    }

    async function callModelWithRetries(run: Run, attemptTurn: () => Promise<TurnOutcome>, signal: AbortSignal): Promise<TurnOutcome> {
      for (let attempt = 0; ; attempt += 1) {
        try {
          return await attemptTurn();
        } catch (error) {
          const retryable = !(error instanceof TurnFailedAfterOutputError) && isRetryableUpstreamError(error);
          if (!retryable || attempt >= dependencies.upstreamMaxRetries || signal.aborted) throw error;
          const delay = retryDelay(error, attempt, dependencies.upstreamRetryBaseMs);
          dependencies.telemetry.metrics.upstreamRetry(upstreamErrorCode(error));
          logger.warn("upstream call failed, retrying", { runId: run.id, attempt: attempt + 1, delayMs: delay, error: String(error) });
          await wait(delay, undefined, { signal });
        }
      }
    }

    async function loadImage(fileId: string) {
      const file = await store.files.get(fileId);
      if (!file) return undefined;
      const bytes = await dependencies.blobs.readBytes(fileId);
      return bytes && { data: new Uint8Array(bytes), mediaType: imageMediaType(file.filename) };
    }

    /**
     * `resumed`: the run ran before (it waited for tool outputs), so it has steps to continue from.
     * `stored`: resolves once `started` is stored (its start may still be written); nothing is written before.
     */
    async function work(started: Run, resumed: boolean, signal: AbortSignal, stored: Promise<unknown> = Promise.resolve()): Promise<void> {
      let run = started;
      // Failed steps are turns a previous executor was cut off in; they are generated again.
      const steps = resumed ? (await store.runSteps.findAll({ parentId: run.id })).filter((step) => step.status !== "failed") : [];
      const scopes = await openScopes(run, steps, signal);
      const builtinByName = new Map([...scopes.values()].map((scope) => [scope.definition.name, scope]));
      const toolCallLimit = await ToolCallLimit.of(store, run, steps);
      const pendingContent: MessageContent[] = [];
      const model = dependencies.models.languageModel(run.model);
      // A response's model sees the thread's items, function calls and their outputs too.
      const loadFileText = fileTextLoader(store, dependencies.blobs);
      const history = isResponseRun(run) ? await responseHistory(store, run, { loadImage, loadFileText }) : undefined;

      /** One model call and the builtin tools it called; "done" once the run ended or waits for tool outputs. */
      const takeStep = async (): Promise<"next" | "done"> => {
        if (signal.aborted) throw new RunStopped("cancelled");
        if (run.expires_at !== null && unixNow() >= run.expires_at) {
          await stored;
          await expire(run);
          return "done";
        }
        const allMessages = knownMessages ?? (await store.messages.findAll({ parentId: run.thread_id }));
        knownMessages = undefined;
        const runMessages = new Map(allMessages.filter((message) => message.run_id === run.id).map((message) => [message.id, message]));
        const builtinOutputs = new Map(steps.flatMap((step) => Object.entries(step.model_outputs)));
        const prompt = await buildPrompt({
          run,
          toolInstructions: [...scopes.values()].flatMap((scope) => (scope.instructions ? [scope.instructions] : [])),
          conversation: history ? [] : allMessages.filter((message) => message.run_id !== run.id),
          history,
          steps,
          runMessages,
          builtinOutputs,
          loadImage,
          loadFileText,
          tokenCounter: loadTokenCounter,
        });
        if (!prompt.ok) {
          await stored;
          await recorder.apply({ ...run, usage: sumUsage(steps) }, { type: "mark_incomplete", reason: prompt.reason });
          return "done";
        }
        const usedCompletion = sumUsage(steps)?.completion_tokens ?? 0;
        const remaining = run.max_completion_tokens === null ? undefined : run.max_completion_tokens - usedCompletion;
        if (remaining !== undefined && remaining <= 0) {
          await stored;
          await recorder.apply({ ...run, usage: sumUsage(steps) }, { type: "mark_incomplete", reason: "max_completion_tokens" });
          return "done";
        }
        const call = modelCallOptions(run, {
          prompt: prompt.prompt,
          // Past its max_tool_calls a response's model is offered no built-in tools.
          scopes: toolCallLimit.open ? scopes : new Map(),
          remainingTokens: remaining,
          firstCall: !steps.some((step) => step.type === "tool_calls"),
          signal,
          models: dependencies.models,
        });
        const outcome = await callModelWithRetries(
          run,
          () =>
            observeModelCall(dependencies.telemetry, run, call, () =>
              streamModelTurn({
                model,
                call,
                run,
                recorder,
                store,
                builtinByName,
                leadingContent: pendingContent,
                stored,
                finishMessage: (opened) => finishMessage(opened, false, scopes, null),
              }),
            ),
          signal,
        );
        await stored;
        const next = decideNextStep(outcome, new Set(builtinByName.keys()), isResponseRun(run) ? "responses" : "assistants");
        if (next.type === "final_output") {
          // The final answer, its step and the run's end are written together.
          await store.transaction(async (transaction) => {
            if (outcome.message) {
              await finishMessage(outcome.message, next.truncated, scopes, outcome.usage, transaction);
              steps.push(outcome.message.step);
            } else {
              await recordEmptyAnswer(run, outcome, steps, pendingContent.splice(0), transaction);
            }
            if (pendingContent.length > 0) logger.warn("tool output content had no message to go into", { runId: run.id });
            const end = next.truncated ? ({ type: "mark_incomplete", reason: "max_completion_tokens" } as const) : ({ type: "complete" } as const);
            run = await recorder.apply({ ...run, usage: sumUsage(steps) }, end, transaction);
          });
          return "done";
        }
        if (outcome.message) {
          if (!outcome.messageFinished) await finishMessage(outcome.message, false, scopes, null);
          steps.push(outcome.message.step);
        }
        const { toolStep, builtinCalls, functionCalls } = next;
        toolStep.usage = outcome.usage;
        steps.push(toolStep);
        for (const toolCall of builtinCalls) {
          const scope = builtinByName.get(toolCall.name);
          if (!scope) continue;
          const notMade = toolCallLimit.take();
          if (notMade === undefined) pendingContent.push(...(await runBuiltin(toolStep, scope, toolCall)));
          else toolStep.model_outputs[toolCall.id] = notMade;
        }
        switch (next.type) {
          case "end_with_function_calls": {
            const ending = run;
            run = await recorder.write(store, async (transaction) => {
              await recorder.finishStep({ ...toolStep, status: "completed", completed_at: unixNow() }, transaction);
              return recorder.apply({ ...ending, usage: sumUsage(steps) }, { type: "complete" }, transaction);
            });
            return "done";
          }
          case "await_tool_outputs": {
            // The calls and the wait for their outputs are written together: a take-over never finds one without the other.
            const waiting = run;
            run = await recorder.write(store, async (transaction) => {
              await recorder.saveStep(toolStep, transaction);
              return recorder.apply(
                waiting,
                {
                  type: "require_tool_outputs",
                  toolCalls: functionCalls.map((toolCall) => ({ id: toolCall.id, type: "function" as const, function: { name: toolCall.name, arguments: toolCall.input } })),
                },
                transaction,
              );
            });
            return "done";
          }
          case "run_again":
            await recorder.finishStep({ ...toolStep, status: "completed", completed_at: unixNow() });
            toolStep.status = "completed";
            return "next";
        }
      };
      for (let turn = 0; turn < maxModelCallsPerExecution; turn += 1) {
        if ((await inStepSpan(dependencies.telemetry, run, turn + 1, takeStep)) === "done") return;
      }
      throw new Error(`The run stopped after ${maxModelCallsPerExecution} model calls without a final answer.`);
    }

    async function runBuiltin(step: RunStep, scope: BuiltinToolScope, toolCall: { id: string; input: string }): Promise<MessageContent[]> {
      if (step.step_details.type !== "tool_calls") return [];
      const calls = step.step_details.tool_calls;
      const index = calls.findIndex((call) => call.id === toolCall.id);
      // Progress (e.g. the code before it runs) is stored too, so clients that poll steps see it.
      let saving = Promise.resolve();
      const result = await observeToolCall(dependencies.telemetry, scope.definition.name, toolCall, () =>
        scope.execute(toolCall, (reported) => {
          const delta = withoutStreamedCode(calls[index], reported);
          publishToolProgress(recorder, step, { ...delta, index });
          calls[index] = mergeDelta(calls[index] as ToolCall, delta);
          saving = saving.then(() => recorder.saveStep(step));
        }),
      );
      await saving;
      calls[index] = result.toolCall;
      step.model_outputs[toolCall.id] = result.modelOutput;
      await recorder.saveStep(step);
      return result.messageContent ?? [];
    }

    /**
     * Completes a streamed message: the builtin tools annotate its text (citations, file links), clients get
     * the annotations as a delta, then the completed message and step.
     */
    async function finishMessage(
      opened: NonNullable<TurnOutcome["message"]>,
      truncated: boolean,
      scopes: Map<BuiltinToolType, BuiltinToolScope>,
      usage: Usage | null,
      transaction: Store = store,
    ): Promise<void> {
      const { message, step } = opened;
      const textIndex = message.content.length - 1;
      const textPart = message.content[textIndex];
      const text = textPart?.type === "text" ? textPart.text.value : "";
      let annotated = { value: text, annotations: [] as Annotation[] };
      for (const scope of scopes.values()) {
        if (!scope.annotate) continue;
        const next = scope.annotate(annotated.value);
        annotated = { value: next.value, annotations: [...annotated.annotations, ...next.annotations] };
      }
      if (annotated.annotations.length > 0 && annotated.value === text) {
        recorder.publish(message.run_id ?? "", { type: "message.annotated", message_id: message.id, index: textIndex, annotations: annotated.annotations }, transaction);
      }
      const now = unixNow();
      const finished: Message = {
        ...message,
        content: [...message.content.slice(0, textIndex), { type: "text", text: annotated }],
        ...(truncated
          ? { status: "incomplete", incomplete_at: now, incomplete_details: { reason: "max_tokens" } }
          : { status: "completed", completed_at: now }),
      };
      await recorder.finishMessage(finished, transaction);
      const completedStep = { ...step, status: "completed" as const, completed_at: now, usage };
      await recorder.finishStep(completedStep, transaction);
      Object.assign(step, completedStep);
    }

    /** A model that answers with nothing still gets a (blank) message, as clients expect one per run. */
    async function recordEmptyAnswer(run: Run, outcome: TurnOutcome, steps: RunStep[], leadingContent: MessageContent[], transaction: Store) {
      const opened = await openMessage(recorder, run, leadingContent, transaction, outcome.reasoning);
      opened.message.content.push({ type: "text", text: { value: "", annotations: [] } });
      await finishMessage(opened, outcome.finishReason === "length", new Map(), outcome.usage, transaction);
      steps.push(opened.step);
    }

    return { dispatch, settle };
  }
}

/** A tool reports the code it runs whole; clients already have the part that streamed as the model wrote it. */
function withoutStreamedCode(call: ToolCall | undefined, reported: ToolCallFragment): ToolCallFragment {
  if (call?.type !== "code_interpreter" || reported.type !== "code_interpreter") return reported;
  const input = reported.code_interpreter?.input;
  const streamed = call.code_interpreter.input;
  if (input === undefined || !input.startsWith(streamed)) return reported;
  return { ...reported, code_interpreter: { ...reported.code_interpreter, input: input.slice(streamed.length) } };
}
