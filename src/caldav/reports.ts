// The CalDAV reports (RFC 4791 §7.8 calendar-query, §7.9 calendar-multiget) for the report
// registry; both apply to calendar collections and calendar object resources (supported-report-set).
import type { ReportHandler } from '../dav/reports/registry.ts';
import { calendarMultiget } from './calendar-multiget.ts';
import { calendarQuery } from './calendar-query.ts';

export const caldavReports: ReportHandler<unknown>[] = [calendarQuery, calendarMultiget];
