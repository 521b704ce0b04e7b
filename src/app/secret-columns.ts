import { CATALOG_SECRET_COLUMNS } from '../catalog/index.ts';
import { SSO_SECRET_COLUMNS } from '../identity/index.ts';
import { registerSecretColumns } from '../platform/secrets/index.ts';
import { CHANNEL_SECRETS, PEOPLE_SECRET_COLUMNS } from '../response/index.ts';

/**
 * Every database column that holds a sealed secret, from every module, registered once for the whole process so
 * `siaga secrets rotate` and `siaga secrets status` see them all. Modules export their columns
 * (`secretColumn('table', 'column')`); this file lists them.
 */
registerSecretColumns(...SSO_SECRET_COLUMNS);
registerSecretColumns(...CATALOG_SECRET_COLUMNS);
registerSecretColumns(...PEOPLE_SECRET_COLUMNS);
registerSecretColumns(CHANNEL_SECRETS);
