import type { AppMigration } from '../migration.ts';
import { m0001 } from './0001-jobs-and-leases.ts';
import { m0002 } from './0002-identity.ts';
import { m0003 } from './0003-sso.ts';
import { m0004 } from './0004-alerting.ts';
import { m0005 } from './0005-alerting-config-version.ts';
import { m0006 } from './0006-response.ts';
import { m0007 } from './0007-jobs-next-due.ts';
import { m0008 } from './0008-jobs-partial-indexes.ts';
import { m0009 } from './0009-alerts-quiet-repeats.ts';
import { m0010 } from './0010-delivery-provider-status.ts';
import { m0011 } from './0011-contact-methods-expiry.ts';

/** Every migration, in the order they run. Append only; never edit one that has shipped. */
export const MIGRATIONS: readonly AppMigration[] = [
  m0001,
  m0002,
  m0003,
  m0004,
  m0005,
  m0006,
  m0007,
  m0008,
  m0009,
  m0010,
  m0011,
];
