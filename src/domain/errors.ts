/**
 * Domain errors. Services throw `AppError` with a stable code; the HTTP layer and the CLI each
 * map the error's kind to a status or exit code in one table.
 */
export type ErrorKind =
  | 'validation'
  | 'not_found'
  | 'conflict'
  | 'unauthenticated'
  | 'forbidden'
  | 'rate_limited'
  | 'unavailable';

/** One problem in a piece of input, located as precisely as the input allows. */
export interface FieldIssue {
  /** Field, column or property path the problem is in. */
  field: string;
  message: string;
  /** 1-based CSV data row (the header is row 1, so data starts at 2), YAML/LEDES line, … */
  row?: number;
  line?: number;
  column?: number;
}

/** A domain error with a machine-readable code and optional structured details. */
export class AppError extends Error {
  constructor(
    readonly kind: ErrorKind,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

/** A validation failure listing every issue found, never just the first. */
export function validationError(code: string, message: string, issues: FieldIssue[]): AppError {
  return new AppError('validation', code, message, { issues });
}

export function notFound(code: string, message: string): AppError {
  return new AppError('not_found', code, message);
}

export function conflict(code: string, message: string, details?: unknown): AppError {
  return new AppError('conflict', code, message, details);
}

/** The error every optimistic-concurrency check throws. */
export function staleVersion(entity: string, expected: number, actual?: number): AppError {
  return new AppError(
    'conflict',
    'STALE_VERSION',
    `The ${entity} was changed by someone else (you had version ${expected}${
      actual === undefined ? '' : `, it is now ${actual}`
    }); reload it and try again.`,
    { expected, actual },
  );
}
