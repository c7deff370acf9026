import { jobsMigration, type Migration } from '@tandem/core';
import { accounts } from './0001_accounts.ts';
import { files } from './0002_files.ts';
import { oauth } from './0003_oauth.ts';
import { loginFlow } from './0004_login_flow.ts';
import { groupFolders } from './0005_groupfolders.ts';
import { groupFolderAclOrder } from './0006_groupfolder_acl_order.ts';
import { termsOfService } from './0007_terms_of_service.ts';

/** Cloud's migrations, in order. Names never change once landed; append new ones at the end. */
export const migrations: Record<string, Migration> = {
  '0000_jobs': jobsMigration,
  '0001_accounts': accounts,
  '0002_files': files,
  '0003_oauth': oauth,
  '0004_login_flow': loginFlow,
  '0005_groupfolders': groupFolders,
  '0006_groupfolder_acl_order': groupFolderAclOrder,
  '0007_terms_of_service': termsOfService,
};
