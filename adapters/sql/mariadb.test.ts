// The native SQL store on a real MariaDB server (network-suite.ts): contract, migrations, concurrent
// writers and an outage.
import { nativeStoreOn } from './network-suite.ts';
import { MARIADB } from './test-servers.ts';

nativeStoreOn(MARIADB);
