import type { Assistant, Message, Thread } from "../domain/objects.js";
import { saveVectorStoreFile } from "../records/vector-store-bookkeeping.js";
import { emptyVectorStore, queuedVectorStoreFile, storedChunkingOf } from "../records/vector-store-objects.js";
import type { Store } from "../storage/store.js";
import { autoChunking } from "../vector/chunking-strategy.js";
import { fileSearchFiles, vectorStoreIdsOf } from "./file-references.js";
import type { ImportReport } from "./import-report.js";
import { writeOrRollBack } from "./put-object.js";

/**
 * The vector stores an export's `tool_resources` name (the exporter cannot export vector stores), to
 * recreate under their ids so runs do not fail on a dangling id, with the files known to be in them:
 * files attached to a thread's messages for file_search (the hosted API put them in the thread's store),
 * and cited files, in the citing thread's store or else the citing assistant's (the narrower store, so a
 * thread's file never becomes searchable from every thread of the assistant).
 */
export class VectorStorePlans {
  private readonly plans = new Map<string, { createdAt: number; files: Set<string> }>();
  private readonly assistantStores = new Map<string, string[]>();

  private name(id: string, createdAt: number): void {
    const plan = this.plans.get(id);
    if (!plan) this.plans.set(id, { createdAt, files: new Set() });
    else plan.createdAt = Math.min(plan.createdAt, createdAt);
  }

  private add(id: string, fileId: string): void {
    this.plans.get(id)?.files.add(fileId);
  }

  noteAssistant(assistant: Assistant): void {
    const ids = vectorStoreIdsOf(assistant);
    for (const id of ids) this.name(id, assistant.created_at);
    this.assistantStores.set(assistant.id, ids);
  }

  noteThread(thread: Thread, messages: readonly Message[]): void {
    const ids = vectorStoreIdsOf(thread);
    for (const id of ids) this.name(id, thread.created_at);
    const [threadStore] = ids;
    const { attached, cited } = fileSearchFiles(messages);
    if (threadStore) for (const fileId of attached) this.add(threadStore, fileId);
    for (const { fileId, assistantId } of cited) {
      const assistantStores = assistantId ? (this.assistantStores.get(assistantId) ?? []) : [];
      const store = threadStore ?? (assistantStores.length === 1 ? assistantStores[0] : undefined);
      if (store) this.add(store, fileId);
    }
  }

  /**
   * Creates the stores not here yet and adds their known files that have bytes as `in_progress`: the
   * server's ingestion sweep finds them there and indexes them, whichever process it runs in.
   */
  async apply(context: { store: Store; dryRun: boolean; withBytes: ReadonlySet<string> }, report: ImportReport): Promise<void> {
    for (const [id, plan] of [...this.plans].sort(([left], [right]) => left.localeCompare(right))) {
      report.vectorStores.push(
        await writeOrRollBack(context.store, context.dryRun, async (transaction) => {
          const created = !(await transaction.vectorStores.get(id));
          if (created) await transaction.vectorStores.insert(emptyVectorStore(id, plan.createdAt));
          const added: string[] = [];
          const withoutBytes: string[] = [];
          for (const fileId of [...plan.files].sort()) {
            if (!context.withBytes.has(fileId)) withoutBytes.push(fileId);
            else if (!(await transaction.vectorStoreFiles.get(fileId, id))) {
              await saveVectorStoreFile(transaction, null, queuedVectorStoreFile(id, fileId, { chunking: storedChunkingOf(autoChunking), attributes: null, batchId: null }));
              added.push(fileId);
            }
          }
          return { id, created, added, withoutBytes };
        }),
      );
    }
  }
}
