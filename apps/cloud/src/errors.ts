import { defineErrors } from '@tandem/core';

/**
 * Cloud's error catalogue: one stable code per failure. The DAV and OCS layers render these in
 * Nextcloud's wire formats (Sabre exception XML, OCS envelopes); everything else gets JSON
 * `{ error: { code, message } }`.
 */
export const errors = defineErrors({
  unauthenticated: { status: 401, message: 'Authentication required' },
  invalid_credentials: { status: 401, message: 'Wrong login or password' },
  throttled: { status: 429, message: 'Too many failed login attempts; try again later' },
  forbidden: { status: 403, message: 'You are not allowed to do this' },
  admin_required: { status: 403, message: 'Only administrators may do this' },
  csrf_check_failed: { status: 412, message: 'CSRF check failed' },
  not_found: { status: 404, message: 'Not found' },
  invalid_input: { status: 400, message: 'Invalid input' },
  user_exists: { status: 409, message: 'A user with this id already exists' },
  user_not_found: { status: 404, message: 'User does not exist' },
  user_disabled: { status: 403, message: 'This account is disabled' },
  group_exists: { status: 409, message: 'A group with this id already exists' },
  group_not_found: { status: 404, message: 'The requested group could not be found' },
  invalid_user_id: { status: 400, message: 'Only the following characters are allowed in a user id: "a-z", "A-Z", "0-9", spaces and "_.@-\'"' },
  password_too_short: { status: 400, message: 'The password must be at least 8 characters long' },
  last_admin: { status: 409, message: 'The last administrator cannot be removed' },
  app_password_forbidden: { status: 403, message: 'An app password cannot create another app password' },
  internal: { status: 500, message: 'Internal Server Error' },
});
