import { createInMemoryJobQueue } from "./in-memory-job-queue.js";
import { defineJobQueueContract } from "./job-queue.contract.js";

defineJobQueueContract("in-memory", async (concurrency) => createInMemoryJobQueue<number>({ concurrency }));
