import type { FastifyReply, FastifyRequest } from 'fastify';
import { isAppError, type AppError } from '@tandem/core';
import { URN, errors } from '../errors.ts';

const URN_BY_STATUS: Record<number, string> = {
  400: 'InvalidRequestBody',
  401: 'Unauthenticated',
  403: 'MissingPermission',
  404: 'NotFound',
  405: 'NotImplemented',
  409: 'UpdateConflict',
  415: 'TypeNotSupported',
  422: 'PropertyConstraintViolation',
};

export const HAL_JSON = 'application/hal+json; charset=utf-8';

/** OpenProject's Error resource for one of our errors. */
export function errorResource(error: AppError): Record<string, unknown> {
  const spec = (errors.specs as Record<string, { urn?: string }>)[error.code];
  const identifier = `${URN}${spec?.urn ?? URN_BY_STATUS[error.status] ?? 'InternalServerError'}`;
  // Some OpenProject errors carry a list of messages (e.g. InvalidQuery on read_ian).
  const messages = error.details.messages;
  const body: Record<string, unknown> = {
    _type: 'Error',
    errorIdentifier: identifier,
    message: Array.isArray(messages) ? messages : error.message,
  };
  if (error.code === 'property_constraint_violation' && typeof error.details.attribute === 'string') {
    body._embedded = { details: { attribute: error.details.attribute } };
  }
  if (error.code === 'multiple_errors' && Array.isArray(error.details.errors)) {
    body._embedded = {
      errors: (error.details.errors as { attribute: string; message: string }[]).map((e) => ({
        _type: 'Error',
        errorIdentifier: `${URN}PropertyConstraintViolation`,
        message: e.message,
        _embedded: { details: { attribute: e.attribute } },
      })),
    };
  }
  return body;
}

/** Map anything thrown in a route (ours, fastify's body parsing, bugs) to an OpenProject Error. */
export function toAppError(error: unknown): AppError {
  if (isAppError(error)) return error;
  const e = error as { statusCode?: number; code?: string; message?: string };
  if (e.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') return errors.type_not_supported();
  if (e.code?.startsWith('FST_ERR_CTP_') || e.code === 'FST_ERR_VALIDATION') return errors.invalid_request_body();
  if (e.statusCode === 404) return errors.not_found();
  if (e.statusCode === 405) return errors.method_not_allowed();
  if (e.statusCode && e.statusCode < 500) return errors.invalid_request_body();
  return errors.internal();
}

export function sendError(request: FastifyRequest, reply: FastifyReply, error: unknown) {
  const appError = toAppError(error);
  if (appError.status >= 500) request.log.error({ err: error }, 'unhandled error');
  if (appError.status === 401) {
    // As OpenProject: scripts from a web page (`X-Requested-With: XMLHttpRequest`) get the `Session`
    // scheme, so browsers do not pop up a Basic password dialog.
    const xhr = request.headers['x-requested-with'] === 'XMLHttpRequest';
    const scheme = appError.details.scheme === 'bearer' ? 'Bearer' : xhr ? 'Session' : 'Basic';
    const extra = scheme === 'Bearer' ? ', error="invalid_token"' : '';
    reply.header('WWW-Authenticate', `${scheme} realm="OpenProject API"${extra}`);
  }
  return reply.status(appError.status).type(HAL_JSON).send(errorResource(appError));
}
