import type { CodeSandbox, ExecutionResult, SandboxStatus } from "./code-sandbox.js";

/** Thrown by every method of a sandbox that cannot run code on this host. */
export class SandboxUnavailableError extends Error {
  override name = "SandboxUnavailableError";
}

/** Stands in where no sandbox can run (no bubblewrap, not Linux): the code_interpreter tool reports `reason`. */
export class UnavailableSandbox implements CodeSandbox {
  readonly status: SandboxStatus;

  constructor(readonly reason: string) {
    this.status = { available: false, reason };
  }

  execute(_sessionId: string, _code: string): Promise<ExecutionResult> {
    return Promise.reject(this.error());
  }

  putFile(_sessionId: string, _name: string, _content: Uint8Array): Promise<void> {
    return Promise.reject(this.error());
  }

  /** Nothing to end: no session ever started. */
  endSession(): Promise<void> {
    return Promise.resolve();
  }

  close(): Promise<void> {
    return Promise.resolve();
  }

  private error(): SandboxUnavailableError {
    return new SandboxUnavailableError(`code interpreter sandbox unavailable: ${this.reason}`);
  }
}
