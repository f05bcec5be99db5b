import { beforeAll, describe, expect, it } from "vitest";
import { useTestServer } from "../../src/testing/test-server.js";

const concurrentUsers = 3;
const server = useTestServer();
/** Model calls that gave up waiting for the other users' runs to call the model too. */
let callsAloneAtTheModel = 0;

beforeAll(async () => {
  server.upstream.setResponder(async (request) => {
    // Each answer waits until every user's run has called the model, which only happens if the runs overlap.
    await server.upstream.waitForChatRequests(concurrentUsers).catch(() => (callsAloneAtTheModel += 1));
    const messages = (request.body.messages ?? []) as { role: string; content: string }[];
    const lastUser = messages.filter((message) => message.role === "user").at(-1)?.content ?? "";
    return { text: `Answer to: ${lastUser}` };
  });
});

describe("three concurrent users (the seed's create_thread_and_run flow)", () => {
  it("runs overlapping threads at the same time, then follows up on one", async () => {
    const assistant = await server.client.beta.assistants.create({ name: "Math Tutor", model: "gpt-4-turbo-preview", instructions: "Be brief." });
    const questions = [
      "I need to solve the equation `3x + 11 = 14`. Can you help me?",
      "Could you explain linear algebra to me?",
      "I don't like math. What can I do?",
    ];
    const runs = await Promise.all(
      questions.map((question) =>
        server.client.beta.threads.createAndRunPoll({ assistant_id: assistant.id, thread: { messages: [{ role: "user", content: question }] } }),
      ),
    );
    expect(runs.map((run) => run.status)).toEqual(["completed", "completed", "completed"]);
    expect(callsAloneAtTheModel).toBe(0);

    for (const [index, run] of runs.entries()) {
      const messages = await server.client.beta.threads.messages.list(run.thread_id, { order: "asc" });
      expect(messages.data.map((message) => (message.content[0]?.type === "text" ? message.content[0].text.value : ""))).toEqual([
        questions[index],
        `Answer to: ${questions[index]}`,
      ]);
    }

    const first = runs[0]!;
    await server.client.beta.threads.messages.create(first.thread_id, { role: "user", content: "Thank you!" });
    const followUp = await server.client.beta.threads.runs.createAndPoll(first.thread_id, { assistant_id: assistant.id });
    expect(followUp.status).toBe("completed");
    const thread = await server.client.beta.threads.messages.list(first.thread_id, { order: "asc" });
    expect(thread.data).toHaveLength(4);
    expect(thread.data[3]?.content[0]).toMatchObject({ text: { value: "Answer to: Thank you!" } });
  });
});
