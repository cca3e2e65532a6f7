// The native SQL store on a real PostgreSQL server (network-suite.ts): contract, migrations, concurrent
// writers and an outage.
import { nativeStoreOn } from './network-suite.ts';
import { POSTGRES } from './test-servers.ts';

nativeStoreOn(POSTGRES);
