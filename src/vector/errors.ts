/** The file's type is not one file_search can index; maps to `last_error.code = "unsupported_file"`. */
export class UnsupportedFileError extends Error {
  readonly code = "unsupported_file";

  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "UnsupportedFileError";
  }
}

/** The file claims a supported type but cannot be parsed; maps to `last_error.code = "invalid_file"`. */
export class InvalidFileError extends Error {
  readonly code = "invalid_file";

  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "InvalidFileError";
  }
}

/** A `chunking_strategy` request that violates the API bounds; `param` names the offending field. */
export class InvalidChunkingStrategyError extends Error {
  constructor(
    message: string,
    readonly param: string,
  ) {
    super(message);
    this.name = "InvalidChunkingStrategyError";
  }
}
