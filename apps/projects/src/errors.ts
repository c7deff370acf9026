import { defineErrors } from '@tandem/core';

/**
 * Projects' error catalogue: one stable code per failure, each with the OpenProject API v3 error
 * identifier (`urn`) it is rendered with. Every JSON API of this server answers errors in
 * OpenProject's shape: `{ _type: "Error", errorIdentifier, message }` (see api/errors.ts).
 * Messages are worded as OpenProject words them; pass a specific message where OpenProject does.
 */
export const URN = 'urn:openproject-org:api:v3:errors:';

export const errors = defineErrors({
  unauthenticated: { status: 401, urn: 'Unauthenticated', message: 'You need to be authenticated to access this resource.' },
  invalid_credentials: { status: 401, urn: 'Unauthenticated', message: 'Invalid user or password' },
  user_locked: { status: 401, urn: 'Unauthenticated', message: 'Your account has been locked.' },
  missing_permission: { status: 403, urn: 'MissingPermission', message: 'You are not authorized to access this resource.' },
  csrf_check_failed: { status: 403, urn: 'MissingPermission', message: 'Your request could not be verified (missing or wrong X-CSRF-Token header).' },
  not_found: { status: 404, urn: 'NotFound', message: 'The requested resource could not be found.' },
  invalid_query: { status: 400, urn: 'InvalidQuery', message: 'The query is invalid.' },
  invalid_request_body: { status: 400, urn: 'InvalidRequestBody', message: 'The request body was not a single JSON object.' },
  type_not_supported: { status: 415, urn: 'TypeNotSupported', message: 'Expected CONTENT-TYPE to be application/json.' },
  /** One violated property; details: `{ attribute }`. Several at once: `multiple_errors`. */
  property_constraint_violation: { status: 422, urn: 'PropertyConstraintViolation', message: 'The request was invalid.' },
  /** details: `{ errors: [{ attribute, message }] }`. */
  multiple_errors: { status: 422, urn: 'MultipleErrors', message: 'Multiple field constraints have been violated.' },
  update_conflict: { status: 409, urn: 'UpdateConflict', message: 'Your changes could not be saved, because the resource was changed in the meantime.' },
  last_admin: { status: 422, urn: 'PropertyConstraintViolation', message: 'The last active administrator cannot be locked or deleted.' },
  method_not_allowed: { status: 405, urn: 'NotImplemented', message: 'The requested HTTP method is not allowed for this resource.' },
  internal: { status: 500, urn: 'InternalServerError', message: 'An internal error has occurred.' },
});

export type ErrorCode = Exclude<keyof typeof errors, 'specs'>;

/** A 422 for one or more violated properties, rendered as OpenProject renders contract errors. */
export function constraintViolation(violations: { attribute: string; message: string }[]) {
  if (violations.length === 1) {
    const [only] = violations;
    return errors.property_constraint_violation({ attribute: only!.attribute }, only!.message);
  }
  return errors.multiple_errors({ errors: violations });
}
