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
  // files and WebDAV (the DAV layer renders these as Sabre exceptions with the message)
  file_not_found: { status: 404, message: 'File not found' },
  file_exists: { status: 405, message: 'The resource you tried to create already exists' },
  parent_not_found: { status: 409, message: 'Parent node does not exist' },
  file_conflict: { status: 409, message: 'The operation conflicts with the current state of the resource' },
  file_forbidden: { status: 403, message: 'Permission denied' },
  precondition_failed: { status: 412, message: 'Precondition failed' },
  invalid_path: { status: 400, message: 'Invalid path' },
  body_length_mismatch: { status: 400, message: 'Received body does not match the announced length' },
  unsupported_media_type: { status: 415, message: 'The request body is not supported here' },
  range_not_satisfiable: { status: 416, message: 'Requested range not satisfiable' },
  dav_bad_request: { status: 400, message: 'Bad request' },
  not_implemented: { status: 501, message: 'There was no plugin in the system that was willing to handle this method' },
  insufficient_storage: { status: 507, message: 'Insufficient space' },
  // OAuth 2 app (the token endpoint answers in Nextcloud's own `{"error": …}` format instead)
  oauth_client_not_found: { status: 404, message: 'OAuth client not found' },
  oauth_invalid_redirect_uri: { status: 400, message: 'Your redirect URL needs to be a full URL for example: https://yourdomain.com/path' },
  oauth_invalid_client_name: { status: 400, message: 'The client name must be 1 to 64 characters long' },
  // provisioning API, app passwords, login flow v2 (the OCS layer maps these to Nextcloud's codes)
  invalid_quota: { status: 400, message: 'Invalid quota value' },
  invalid_email: { status: 400, message: 'Invalid mail address' },
  group_required: { status: 400, message: 'No group specified (required for sub-admins)' },
  password_or_email_required: { status: 400, message: 'To send a password link to the user an email address is required.' },
  invitation_unavailable: { status: 400, message: 'Cloud sends no invitation mails: set a password for the new user' },
  field_not_editable: { status: 403, message: 'This field cannot be edited' },
  cannot_remove_self: { status: 403, message: 'You cannot remove yourself from this group' },
  not_subadmin: { status: 400, message: 'User is not a sub-admin of this group' },
  app_not_found: { status: 404, message: 'The request app was not found' },
  app_password_required: { status: 403, message: 'No app password in use' },
  login_flow_not_found: { status: 404, message: 'The login link is invalid or has expired' },
  // group folders (OCS v1 envelope on /index.php/apps/groupfolders; ACL errors as Sabre exceptions)
  groupfolder_not_found: { status: 404, message: 'Groupfolder not found' },
  groupfolder_mount_exists: { status: 400, message: 'Mount point already exists' },
  groupfolder_invalid_mount_point: { status: 400, message: 'Invalid mount point' },
  groupfolder_group_assigned: { status: 400, message: 'Group already assigned to this Groupfolder' },
  acl_invalid: { status: 400, message: 'Invalid ACL rule' },
  acl_own_read: { status: 400, message: 'You cannot remove your own read permission.' },
  // OpenProject Integration app (its routes answer `{"error": …}` / `{"message": …}` as the real app) and terms of service
  openproject_setting_unknown: { status: 400, message: 'Unknown setting' },
  openproject_invalid_settings: { status: 400, message: 'Invalid settings.' },
  openproject_admin_required: { status: 403, message: 'Logged in account must be an admin' },
  openproject_protected: { status: 400, message: 'This is protected by the app "OpenProject Integration"' },
  tos_terms_not_found: { status: 404, message: 'Terms not found' },
  // 403 rather than the real app's 500 (HintException): sync clients then restore the folder instead of retrying
  openproject_project_folder_protected: { status: 403, message: 'This is configured as a project folder on OpenProject and cannot be deleted or renamed.' },
});
