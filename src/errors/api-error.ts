/**
 * Errors that reach clients. Each carries OpenAI's wire fields; `toErrorBody` is the only place they are
 * turned into `{ error: { message, type, param, code } }`.
 */
export class ApiError extends Error {
  override name = "ApiError";
  constructor(
    readonly status: number,
    message: string,
    readonly type: string,
    readonly code: string | null = null,
    readonly param: string | null = null,
  ) {
    super(message);
  }
}

export class InvalidRequestError extends ApiError {
  override name = "InvalidRequestError";
  constructor(message: string, options: { param?: string | null; code?: string | null } = {}) {
    super(400, message, "invalid_request_error", options.code ?? null, options.param ?? null);
  }
}

export class NotFoundError extends ApiError {
  override name = "NotFoundError";
  constructor(message: string) {
    super(404, message, "invalid_request_error");
  }

  /** The hosted API's wording: "No thread found with id 'thread_x'." */
  static object(kind: string, id: string): NotFoundError {
    return new NotFoundError(`No ${kind} found with id '${id}'.`);
  }
}

export class AuthenticationError extends ApiError {
  override name = "AuthenticationError";
  constructor(message: string) {
    super(401, message, "invalid_request_error", "invalid_api_key");
  }
}

export class PayloadTooLargeError extends ApiError {
  override name = "PayloadTooLargeError";
  constructor(message: string, code: "file_too_large" | "request_too_large" = "file_too_large") {
    super(413, message, "invalid_request_error", code);
  }
}

/** The database is unreachable: the request may be retried (the SDKs retry 503 on their own). */
export class ServiceUnavailableError extends ApiError {
  override name = "ServiceUnavailableError";
  constructor(message = "The server cannot reach its database right now; please retry shortly.") {
    super(503, message, "server_error", "service_unavailable");
  }
}

export interface ErrorBody {
  error: { message: string; type: string; param: string | null; code: string | null };
}

/** Unknown errors become a generic 500; their details are logged, never sent. */
export function toErrorBody(error: unknown): { status: number; body: ErrorBody } {
  if (error instanceof ApiError) {
    return {
      status: error.status,
      body: { error: { message: error.message, type: error.type, param: error.param, code: error.code } },
    };
  }
  return {
    status: 500,
    body: {
      error: {
        message: "The server had an error while processing your request. Sorry about that!",
        type: "server_error",
        param: null,
        code: "server_error",
      },
    },
  };
}
