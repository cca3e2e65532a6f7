// The CardDAV reports (RFC 6352 §8.6 addressbook-query, §8.7 addressbook-multiget) for the
// report registry; both apply to address books and address objects (supported-report-set).
import type { ReportHandler } from '../dav/reports/registry.ts';
import { addressbookMultiget } from './multiget.ts';
import { addressbookQuery } from './query.ts';

export const carddavReports: ReportHandler<unknown>[] = [addressbookQuery, addressbookMultiget];
