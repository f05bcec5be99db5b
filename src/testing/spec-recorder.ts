import type { Conformance } from "./openapi-conformance.js";

interface Exchange {
  method: string;
  pathname: string;
  status: number;
  contentType: string;
  text: string;
}

/** `event:`/`data:` frames of an SSE body; Responses streams name the event in `data.type` as well. */
export function sseEvents(text: string): { event: string; data: unknown }[] {
  return text
    .split("\n\n")
    .filter((frame) => frame.startsWith("event: "))
    .map((frame) => {
      const lines = frame.split("\n");
      const event = lines[0]?.slice("event: ".length) ?? "";
      const data = lines.find((line) => line.startsWith("data: "))?.slice("data: ".length) ?? "";
      return { event, data: event === "done" ? data : JSON.parse(data) };
    });
}

/** The spec's component for each Responses stream event Spool sends (the union's errors would name every member). */
const responseEventSchemas: Record<string, string> = {
  "response.created": "ResponseCreatedEvent",
  "response.queued": "ResponseQueuedEvent",
  "response.in_progress": "ResponseInProgressEvent",
  "response.output_item.added": "ResponseOutputItemAddedEvent",
  "response.output_item.done": "ResponseOutputItemDoneEvent",
  "response.content_part.added": "ResponseContentPartAddedEvent",
  "response.content_part.done": "ResponseContentPartDoneEvent",
  "response.output_text.delta": "ResponseTextDeltaEvent",
  "response.output_text.done": "ResponseTextDoneEvent",
  "response.output_text.annotation.added": "ResponseOutputTextAnnotationAddedEvent",
  "response.function_call_arguments.delta": "ResponseFunctionCallArgumentsDeltaEvent",
  "response.function_call_arguments.done": "ResponseFunctionCallArgumentsDoneEvent",
  "response.file_search_call.in_progress": "ResponseFileSearchCallInProgressEvent",
  "response.file_search_call.searching": "ResponseFileSearchCallSearchingEvent",
  "response.file_search_call.completed": "ResponseFileSearchCallCompletedEvent",
  "response.code_interpreter_call.in_progress": "ResponseCodeInterpreterCallInProgressEvent",
  "response.code_interpreter_call.interpreting": "ResponseCodeInterpreterCallInterpretingEvent",
  "response.code_interpreter_call.completed": "ResponseCodeInterpreterCallCompletedEvent",
  "response.code_interpreter_call_code.delta": "ResponseCodeInterpreterCallCodeDeltaEvent",
  "response.code_interpreter_call_code.done": "ResponseCodeInterpreterCallCodeDoneEvent",
  "response.reasoning_text.delta": "ResponseReasoningTextDeltaEvent",
  "response.reasoning_text.done": "ResponseReasoningTextDoneEvent",
  "response.completed": "ResponseCompletedEvent",
  "response.failed": "ResponseFailedEvent",
  "response.incomplete": "ResponseIncompleteEvent",
  error: "ResponseErrorEvent",
};

/** Checks each Responses stream event against its own component, any other against `ResponseStreamEvent`. */
export const responseEventSchema = (event: string) => responseEventSchemas[event] ?? "ResponseStreamEvent";

export interface SpecCheckOptions {
  /**
   * What of a streamed event is checked against `streamSchema`: its `data` (Responses events, each against
   * its own component; `done` is skipped), or the whole `{ event, data }` frame (`AssistantStreamEvent`).
   */
  streamedValue?: "data" | "frame";
  /** Operations (`GET /threads`) whose answers are not checked: Spool's additions, raw file downloads. */
  unchecked?: ReadonlySet<string>;
}

/**
 * A fetch for the SDK that keeps a copy of every answer from `origin`, and a check of all of them against
 * the spec: JSON answers against their operation's component, errors against `ErrorResponse`, and each
 * streamed event against `streamSchema`.
 */
export function specRecorder(origin: string) {
  const exchanges: Promise<Exchange>[] = [];
  const recordingFetch: typeof fetch = async (input, init) => {
    const response = await fetch(input, init);
    const url = new URL(typeof input === "string" || input instanceof URL ? input : input.url);
    // The SDK also fetches a `data:` URL to make upload bodies.
    if (url.origin !== origin) return response;
    const copy = response.clone();
    exchanges.push(
      copy.text().then((text) => ({
        method: (init?.method ?? "GET").toUpperCase(),
        pathname: url.pathname.replace(/^\/v1/, ""),
        status: response.status,
        contentType: response.headers.get("content-type") ?? "",
        text,
      })),
    );
    return response;
  };

  async function problems(
    conformance: Conformance,
    streamSchema: (event: string) => string,
    { streamedValue = "data", unchecked = new Set() }: SpecCheckOptions = {},
  ): Promise<{ problems: string[]; covered: Set<string>; streamed: Set<string> }> {
    const found: string[] = [];
    const covered = new Set<string>();
    const streamed = new Set<string>();
    for (const exchange of await Promise.all(exchanges)) {
      const operation = conformance.operationOf(exchange.method, exchange.pathname);
      const name = operation ? `${operation.method} ${operation.template}` : `${exchange.method} ${exchange.pathname}`;
      if (operation) covered.add(name);
      if (unchecked.has(name)) continue;
      if (!operation) found.push(`${name}: not in the spec`);
      else if (exchange.status >= 400) found.push(...conformance.violations("ErrorResponse", JSON.parse(exchange.text)).map((line) => `${name}: ${line}`));
      else if (exchange.contentType.includes("text/event-stream")) {
        for (const event of sseEvents(exchange.text)) {
          streamed.add(event.event);
          const value = streamedValue === "frame" ? event : event.data;
          if (streamedValue === "frame" || event.event !== "done") {
            found.push(...conformance.violations(streamSchema(event.event), value).map((line) => `${name} ${event.event}: ${line}`));
          }
        }
      } else if (operation.responseSchema) {
        found.push(...conformance.violations(operation.responseSchema, JSON.parse(exchange.text)).map((line) => `${name}: ${line}`));
      }
    }
    return { problems: [...new Set(found)], covered, streamed };
  }

  return { fetch: recordingFetch, problems };
}
