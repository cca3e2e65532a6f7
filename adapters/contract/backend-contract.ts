// The backend contract (DESIGN.md §Central interfaces 1, STYLE.md "one contract suite for every adapter"):
// every adapter's test calls `runBackendContract` with a factory for fresh, empty instances. Tests needing
// an optional capability (admin, patchObjectProps, query, changesSince) skip with a reason when it is absent.
import { describe } from 'node:test';
import { collectionsContract } from './collections-contract.ts';
import { feedContract } from './feed-contract.ts';
import { objectsContract } from './objects-contract.ts';
import { preconditionsContract } from './preconditions-contract.ts';
import type { ContractFactory } from './support.ts';

export type { ContractFactory, ContractSubject } from './support.ts';

export function runBackendContract(name: string, factory: ContractFactory): void {
  describe(`backend contract: ${name}`, () => {
    collectionsContract(factory);
    objectsContract(factory);
    preconditionsContract(factory);
    feedContract(factory);
  });
}
