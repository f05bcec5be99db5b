import type { LanguageModelV3CallOptions } from "@ai-sdk/provider";
import type { Run } from "../domain/objects.js";
import type { EngineMetrics } from "../observability/metrics.js";
import { SpanKind, type Span, type Tracing } from "../observability/tracing.js";
import type { TurnOutcome } from "./model-turn.js";
import { TurnFailedAfterOutputError } from "./model-turn.js";
import { upstreamErrorCode } from "./upstream-errors.js";

/** What the engine reports to: metrics, and spans named and attributed after the GenAI semantic conventions. */
export interface EngineTelemetry {
  metrics: EngineMetrics;
  tracing: Tracing;
}

/** Spool speaks to an OpenAI-compatible upstream, whatever model server is behind it. */
const system = "openai";

/**
 * One execution of a run (from its claim until it waits, ends or is handed back). It continues the trace of
 * the request that created the run, which may have reached another process.
 */
export function inRunSpan<T>(telemetry: EngineTelemetry, run: Run, work: (span: Span) => Promise<T>): Promise<T> {
  return telemetry.tracing.inSpan(
    `invoke_agent ${run.assistant_id}`,
    {
      parent: run.telemetry?.traceparent ?? "root",
      attributes: {
        "gen_ai.operation.name": "invoke_agent",
        "gen_ai.system": system,
        "gen_ai.agent.id": run.assistant_id,
        "gen_ai.conversation.id": run.thread_id,
        "gen_ai.request.model": run.model,
        "spool.run.id": run.id,
      },
    },
    work,
  );
}

/** One model call and what it led to (its tool calls), as the run's next step. */
export function inStepSpan<T>(telemetry: EngineTelemetry, run: Run, index: number, work: (span: Span) => Promise<T>): Promise<T> {
  return telemetry.tracing.inSpan(`step ${index}`, { attributes: { "spool.run.id": run.id, "spool.step.index": index } }, work);
}

function outputMessages(outcome: TurnOutcome): string {
  const text = outcome.message?.message.content.flatMap((part) => (part.type === "text" ? [part.text.value] : [])).join("") ?? "";
  return JSON.stringify([
    {
      role: "assistant",
      parts: [
        ...(text ? [{ type: "text", content: text }] : []),
        ...outcome.toolCalls.map((call) => ({ type: "tool_call", id: call.id, name: call.name, arguments: call.input })),
      ],
      finish_reason: outcome.finishReason.replace("-", "_"),
    },
  ]);
}

/** One call to the upstream model (each retry is a call of its own): a `chat` span, latency, first token, tokens. */
export async function observeModelCall(
  telemetry: EngineTelemetry,
  run: Run,
  call: LanguageModelV3CallOptions,
  attempt: () => Promise<TurnOutcome>,
): Promise<TurnOutcome> {
  const { tracing, metrics } = telemetry;
  return tracing.inSpan(
    `chat ${run.model}`,
    {
      kind: SpanKind.CLIENT,
      attributes: {
        "gen_ai.operation.name": "chat",
        "gen_ai.system": system,
        "gen_ai.provider.name": system,
        "gen_ai.request.model": run.model,
        ...(call.temperature !== undefined ? { "gen_ai.request.temperature": call.temperature } : {}),
        ...(call.topP !== undefined ? { "gen_ai.request.top_p": call.topP } : {}),
        ...(call.maxOutputTokens !== undefined ? { "gen_ai.request.max_tokens": call.maxOutputTokens } : {}),
      },
    },
    async (span) => {
      if (tracing.captureContent) span.setAttribute("gen_ai.input.messages", JSON.stringify(call.prompt));
      const started = performance.now();
      let outcome: TurnOutcome;
      try {
        outcome = await attempt();
      } catch (error) {
        // A cancelled run aborts its call: that is not the upstream failing.
        if (!call.abortSignal?.aborted) metrics.upstreamError(upstreamErrorCode(error instanceof TurnFailedAfterOutputError ? error.cause : error));
        throw error;
      }
      const latencyMs = performance.now() - started;
      const firstTokenMs = outcome.firstOutputAt === undefined ? undefined : outcome.firstOutputAt - started;
      metrics.modelCall({ model: run.model, latencyMs, firstTokenMs, inputTokens: outcome.usage.prompt_tokens, outputTokens: outcome.usage.completion_tokens });
      span.setAttributes({
        "gen_ai.usage.input_tokens": outcome.usage.prompt_tokens,
        "gen_ai.usage.output_tokens": outcome.usage.completion_tokens,
        "gen_ai.response.finish_reasons": [outcome.finishReason.replace("-", "_")],
        ...(firstTokenMs !== undefined ? { "gen_ai.server.time_to_first_token": firstTokenMs / 1000 } : {}),
      });
      if (tracing.captureContent) span.setAttribute("gen_ai.output.messages", outputMessages(outcome));
      return outcome;
    },
  );
}

/** GenAI tool types: file_search reads a data store; code_interpreter (like any other) is a server-side extension. */
const toolTypes: Record<string, string> = { file_search: "datastore" };

/** One builtin tool call (`name`: the function the model called): an `execute_tool` span, its duration, whether it failed. */
export async function observeToolCall<T extends { failed?: boolean }>(
  telemetry: EngineTelemetry,
  name: string,
  call: { id: string; input: string },
  execute: () => Promise<T>,
): Promise<T> {
  const { tracing, metrics } = telemetry;
  return tracing.inSpan(
    `execute_tool ${name}`,
    {
      attributes: {
        "gen_ai.operation.name": "execute_tool",
        "gen_ai.tool.name": name,
        "gen_ai.tool.type": toolTypes[name] ?? "extension",
        "gen_ai.tool.call.id": call.id,
        ...(tracing.captureContent ? { "gen_ai.tool.call.arguments": call.input } : {}),
      },
    },
    async (span) => {
      const started = performance.now();
      try {
        const result = await execute();
        metrics.toolCall(name, performance.now() - started, result.failed === true);
        if (result.failed) span.setAttribute("error.type", "tool_failed");
        return result;
      } catch (error) {
        metrics.toolCall(name, performance.now() - started, true);
        throw error;
      }
    },
  );
}
