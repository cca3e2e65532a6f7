// The CalDAV reports (RFC 4791 §7.8 calendar-query, §7.9 calendar-multiget, §7.10 free-busy-query)
// for the report registry. The first two apply to calendar collections and calendar object
// resources, free-busy-query to calendar collections only (supported-report-set follows appliesTo).
import type { ReportHandler } from '../dav/reports/registry.ts';
import { calendarMultiget } from './calendar-multiget.ts';
import { calendarQuery } from './calendar-query.ts';
import { freeBusyQuery } from './free-busy-query.ts';

export const caldavReports: ReportHandler<unknown>[] = [calendarQuery, calendarMultiget, freeBusyQuery];
