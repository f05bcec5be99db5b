import { describe, expect, it } from "vitest";
import { useTestServer } from "../../src/testing/test-server.js";

const server = useTestServer();

const quizFunction = {
  name: "display_quiz",
  description: "Displays a quiz to the student, and returns the student's response. A single quiz can have multiple questions.",
  parameters: {
    type: "object",
    properties: {
      title: { type: "string" },
      questions: {
        type: "array",
        items: {
          type: "object",
          properties: {
            question_text: { type: "string" },
            question_type: { type: "string", enum: ["MULTIPLE_CHOICE", "FREE_RESPONSE"] },
            choices: { type: "array", items: { type: "string" } },
          },
          required: ["question_text"],
        },
      },
    },
    required: ["title", "questions"],
  },
};

const quizArguments = {
  title: "Math Quiz",
  questions: [
    { question_text: "What is 2 + 2?", question_type: "FREE_RESPONSE" },
    { question_text: "What is the derivative of x^2?", question_type: "MULTIPLE_CHOICE", choices: ["x", "2x", "x^2"] },
  ],
};

describe("function calling (the seed's display_quiz flow)", () => {
  it("pauses in requires_action and resumes with submitted outputs", async () => {
    const assistant = await server.client.beta.assistants.create({
      name: "Math Tutor",
      model: "gpt-4-turbo-preview",
      instructions: "You are a math tutor.",
      tools: [{ type: "function", function: quizFunction }],
    });
    const thread = await server.client.beta.threads.create({
      messages: [{ role: "user", content: "Make a quiz with 2 questions: One open ended, one multiple choice. Then, give me feedback for the responses." }],
    });
    server.upstream.enqueue({ toolCalls: [{ name: "display_quiz", arguments: quizArguments }] });
    const run = await server.client.beta.threads.runs.createAndPoll(thread.id, { assistant_id: assistant.id });
    expect(run.status).toBe("requires_action");
    const toolCall = run.required_action?.submit_tool_outputs.tool_calls[0];
    expect(toolCall?.function.name).toBe("display_quiz");
    expect(JSON.parse(toolCall?.function.arguments ?? "{}")).toEqual(quizArguments);
    expect(toolCall?.id).toMatch(/\S/);

    const pendingSteps = await server.client.beta.threads.runs.steps.list(run.id, { thread_id: thread.id });
    expect(pendingSteps.data[0]).toMatchObject({ type: "tool_calls", status: "in_progress" });

    server.upstream.enqueue({ text: "Great job! 4 is right, and the derivative of x^2 is 2x." });
    const responses = ["I don't know.", "2x"];
    const resumed = await server.client.beta.threads.runs.submitToolOutputsAndPoll(run.id, {
      thread_id: thread.id,
      tool_outputs: [{ tool_call_id: toolCall!.id, output: JSON.stringify(responses) }],
    });
    expect(resumed.status).toBe("completed");

    const followUp = server.upstream.chatRequests().at(-1)?.body as { messages: { role: string; content: unknown; tool_call_id?: string }[] };
    const toolMessage = followUp.messages.find((message) => message.role === "tool");
    expect(toolMessage).toMatchObject({ tool_call_id: toolCall!.id, content: JSON.stringify(responses) });

    const steps = await server.client.beta.threads.runs.steps.list(run.id, { thread_id: thread.id, order: "asc" });
    expect(steps.data.map((step) => [step.type, step.status])).toEqual([
      ["tool_calls", "completed"],
      ["message_creation", "completed"],
    ]);
    const details = steps.data[0]?.step_details;
    expect(details?.type === "tool_calls" && details.tool_calls[0]?.type === "function" ? details.tool_calls[0].function.output : null).toBe(
      JSON.stringify(responses),
    );
    const messages = await server.client.beta.threads.messages.list(thread.id);
    expect(messages.data[0]?.content[0]).toMatchObject({ type: "text", text: { value: "Great job! 4 is right, and the derivative of x^2 is 2x." } });
  });

  it("handles parallel tool calls and rejects outputs that do not match the pending calls", async () => {
    const assistant = await server.client.beta.assistants.create({
      model: "gpt-4o",
      tools: [
        { type: "function", function: { name: "get_weather", parameters: { type: "object", properties: { city: { type: "string" } } } } },
      ],
    });
    const thread = await server.client.beta.threads.create({ messages: [{ role: "user", content: "Weather in Seoul and Busan?" }] });
    server.upstream.enqueue({
      toolCalls: [
        { name: "get_weather", arguments: { city: "Seoul" } },
        { name: "get_weather", arguments: { city: "Busan" } },
      ],
    });
    const run = await server.client.beta.threads.runs.createAndPoll(thread.id, { assistant_id: assistant.id });
    expect(run.status).toBe("requires_action");
    const calls = run.required_action!.submit_tool_outputs.tool_calls;
    expect(calls.map((call) => JSON.parse(call.function.arguments).city)).toEqual(["Seoul", "Busan"]);

    const partial = server.client.beta.threads.runs.submitToolOutputs(run.id, {
      thread_id: thread.id,
      tool_outputs: [{ tool_call_id: calls[0]!.id, output: "sunny" }],
    });
    await expect(partial).rejects.toMatchObject({ status: 400, param: "tool_outputs" });
    const wrongId = server.client.beta.threads.runs.submitToolOutputs(run.id, {
      thread_id: thread.id,
      tool_outputs: [
        { tool_call_id: calls[0]!.id, output: "sunny" },
        { tool_call_id: "call_unknown", output: "rain" },
      ],
    });
    await expect(wrongId).rejects.toMatchObject({ status: 400 });
    expect((await server.client.beta.threads.runs.retrieve(run.id, { thread_id: thread.id })).status).toBe("requires_action");

    server.upstream.enqueue({ text: "Seoul is sunny and Busan is rainy." });
    const done = await server.client.beta.threads.runs.submitToolOutputsAndPoll(run.id, {
      thread_id: thread.id,
      tool_outputs: calls.map((call, index) => ({ tool_call_id: call.id, output: index === 0 ? "sunny" : "rainy" })),
    });
    expect(done.status).toBe("completed");
    await expect(
      server.client.beta.threads.runs.submitToolOutputs(run.id, { thread_id: thread.id, tool_outputs: [{ tool_call_id: calls[0]!.id, output: "x" }] }),
    ).rejects.toMatchObject({ status: 400, error: { message: 'Runs in status "completed" do not accept tool outputs.' } });
  });
});
