import { jobsMigration, type Migration } from '@tandem/core';
import { foundation } from './0001_foundation.ts';
import { oauth } from './0002_oauth.ts';
import { workPackages } from './0003_work_packages.ts';
import { storages } from './0004_storages.ts';

/** Projects' migrations, in order. Names never change once landed; append new ones at the end. */
export const migrations: Record<string, Migration> = {
  '0000_jobs': jobsMigration,
  '0001_foundation': foundation,
  '0002_oauth': oauth,
  '0003_work_packages': workPackages,
  '0004_storages': storages,
};
