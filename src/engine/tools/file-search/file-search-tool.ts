import { setTimeout as wait } from "node:timers/promises";
import type { Assistant, FileSearchResult, FileSearchToolCall, RunStep, Thread } from "../../../domain/objects.js";
import type { Retrieval } from "../../../ingestion/retrieval.js";
import type { Logger } from "../../../logging/logger.js";
import { isExpired, touchVectorStore } from "../../../records/vector-store-bookkeeping.js";
import type { Store } from "../../../storage/store.js";
import type { SearchHit } from "../../../vector/vector-index.js";
import type { BuiltinTool, BuiltinToolScope, ToolRunContext } from "../builtin-tool.js";
import { isFileSearchTool } from "../../../domain/responses.js";
import { isResponseRun } from "../../responses/response-runs.js";
import { annotateCitations, citationMarker, type CitationSource } from "./citations.js";
import { parseSearchQueries } from "./search-input.js";

export interface FileSearchToolDependencies {
  store: Store;
  retrieval: Retrieval;
  logger: Logger;
  /** How long a search waits for the thread's store to finish ingesting (the hosted API waits 60 s). */
  ingestionWaitMs?: number;
}

/** The function name the model calls. */
export const fileSearchFunctionName = "file_search";
const defaultMaxResults = 20;
const ranker = "default_2024_08_21" as const;

const instructions = [
  "You can search the files the user provided with the `file_search` tool.",
  "Each search result starts with a source marker such as 【0:1†report.pdf†p.2】 (search:result†file†page).",
  "When your answer uses a result, cite it by copying its marker exactly as shown, right after the statement it supports.",
  "Only cite markers that appeared in results; never invent them.",
].join(" ");

function vectorStoreIdsOf(assistant: Assistant | undefined, thread: Thread): { all: string[]; thread: string[] } {
  const threadIds = thread.tool_resources.file_search?.vector_store_ids ?? [];
  const assistantIds = assistant?.tool_resources.file_search?.vector_store_ids ?? [];
  return { all: [...new Set([...assistantIds, ...threadIds])], thread: threadIds };
}

/** Results shown earlier in this run (a resumed run rebuilds them), so their markers still resolve. */
function previousSources(steps: RunStep[]): { sources: Map<string, CitationSource>; turns: number } {
  const sources = new Map<string, CitationSource>();
  let turns = 0;
  for (const step of steps) {
    if (step.step_details.type !== "tool_calls") continue;
    for (const call of step.step_details.tool_calls) {
      if (call.type !== "file_search" || !call.file_search.results) continue;
      call.file_search.results.forEach((result, n) => {
        const text = result.content?.map((part) => part.text).join("\n") ?? "";
        sources.set(`${turns}:${n}`, { fileId: result.file_id, filename: result.file_name, pageNumber: null, text });
      });
      turns += 1;
    }
  }
  return { sources, turns };
}

function modelOutputOf(queries: string[], turn: number, hits: SearchHit[]): string {
  const asked = queries.map((query) => JSON.stringify(query)).join(", ");
  if (hits.length === 0) return `No results in the provided files for ${asked}.`;
  const results = hits.map((hit, n) => `${citationMarker(turn, n, hit)}\n${hit.text.trim()}`);
  return [`Results for ${asked}. Cite a result by writing its marker exactly as shown.`, ...results].join("\n\n");
}


/**
 * The `file_search` builtin tool: searches the assistant's and the thread's vector stores, shows the
 * model the best chunks with citation markers (file name and page), and turns the markers the model
 * writes into `file_citation` annotations.
 */
export function createFileSearchTool(dependencies: FileSearchToolDependencies): BuiltinTool {
  const { store, retrieval, logger } = dependencies;
  const ingestionWaitMs = dependencies.ingestionWaitMs ?? 60_000;

  /** Files attached to the thread are often still being indexed when the run starts; wait for them. */
  async function waitForIngestion(vectorStoreIds: string[], signal: AbortSignal): Promise<void> {
    if (vectorStoreIds.length === 0) return;
    retrieval.wake();
    const deadline = Date.now() + ingestionWaitMs;
    while (!signal.aborted && Date.now() < deadline) {
      const stores = await Promise.all(vectorStoreIds.map((id) => store.vectorStores.get(id)));
      if (stores.every((vectorStore) => !vectorStore || vectorStore.file_counts.in_progress === 0)) return;
      // An abort ends the wait quietly; the loop condition then stops it.
      await wait(200, undefined, { signal }).catch(() => undefined);
    }
  }

  async function open(context: ToolRunContext): Promise<BuiltinToolScope> {
    const { run, assistant, thread, signal } = context;
    const config = run.tools.find((tool) => tool.type === "file_search")?.file_search;
    const maxResults = config?.max_num_results ?? defaultMaxResults;
    const scoreThreshold = config?.ranking_options?.score_threshold ?? 0;
    // A response names its vector stores (and attribute filters) in its tool, not in tool resources.
    const responseTool = isResponseRun(run) ? (await store.responses.get(run.id))?.tools.find(isFileSearchTool) : undefined;
    const storeIds = responseTool ? { all: responseTool.vector_store_ids, thread: responseTool.vector_store_ids } : vectorStoreIdsOf(assistant, thread);
    const filter = responseTool?.filters ?? undefined;
    // Thread files are waited for, as on the hosted API. v1 assistant files were usable as soon as they
    // were attached, so a run of an assistant with v1 `file_ids` waits for the assistant's store too.
    const awaited = run.file_ids.length > 0 ? storeIds.all : storeIds.thread;
    const { sources, turns } = previousSources(context.steps);
    let turn = turns;

    return {
      definition: {
        type: "function",
        name: fileSearchFunctionName,
        description: "Search the files the user uploaded (documents, reports, notes) for passages relevant to a query.",
        inputSchema: {
          type: "object",
          properties: {
            query: { type: "string", description: "What to look for, in the language of the documents if known." },
          },
          required: ["query"],
        },
      },
      instructions,
      initialToolCall: (callId): FileSearchToolCall => ({ id: callId, type: "file_search", file_search: {} }),
      async execute(call) {
        const queries = parseSearchQueries(call.input);
        await waitForIngestion(awaited, signal);
        const usable: string[] = [];
        for (const id of storeIds.all) {
          const vectorStore = await store.vectorStores.get(id);
          if (vectorStore && !isExpired(vectorStore)) usable.push(id);
        }
        const hits = await retrieval.search({ vectorStoreIds: usable, queries, limit: maxResults, scoreThreshold, ...(filter ? { filter } : {}) });
        await store.transaction(async (transaction) => {
          for (const id of usable) await touchVectorStore(transaction, id);
        }).catch((error: unknown) => logger.warn("could not record vector store use", { error: String(error) }));

        const thisTurn = turn;
        turn += 1;
        hits.forEach((hit, n) => sources.set(`${thisTurn}:${n}`, { fileId: hit.fileId, filename: hit.filename, pageNumber: hit.pageNumber, text: hit.text }));
        const results: FileSearchResult[] = hits.map((hit) => ({
          file_id: hit.fileId,
          file_name: hit.filename,
          score: hit.score,
          content: [{ type: "text", text: hit.text }],
        }));
        return {
          toolCall: { id: call.id, type: "file_search", file_search: { ranking_options: { ranker, score_threshold: scoreThreshold }, results, queries } },
          modelOutput: modelOutputOf(queries, thisTurn, hits),
        };
      },
      annotate: (value) => ({ value, annotations: annotateCitations(value, sources) }),
    };
  }

  return {
    type: "file_search",
    unavailableReason: () => null,
    open,
  };
}
