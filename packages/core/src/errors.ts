/**
 * Errors with a stable code. Each server declares its catalogue once with `defineErrors`;
 * routes and services throw `catalogue.x(details)` and one handler renders them.
 */
export interface ErrorSpec {
  status: number;
  message: string;
}

export class AppError extends Error {
  constructor(
    readonly code: string,
    readonly status: number,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export type ErrorFactories<T extends Record<string, ErrorSpec>> = {
  [K in keyof T]: (details?: Record<string, unknown>, message?: string) => AppError;
};

export function defineErrors<T extends Record<string, ErrorSpec>>(specs: T): ErrorFactories<T> & { specs: T } {
  const factories = { specs } as ErrorFactories<T> & { specs: T };
  for (const [code, spec] of Object.entries(specs)) {
    (factories as Record<string, unknown>)[code] = (details?: Record<string, unknown>, message?: string) =>
      new AppError(code, spec.status, message ?? spec.message, details ?? {});
  }
  return factories;
}

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}
