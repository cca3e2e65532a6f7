// What the Thunderbird calendar code (native since TB 78, Lightning before, TbSync on top of it)
// needs: alarm dismissals on read-only calendars must not fail (Q32) and accepting an invitation
// before the calendar synced must update the stored invitation (Q18).
import type { QuirkProfile } from '../profile.ts';
import { onlyAlarmStateDiffers } from '../transforms/ical.ts';

export const THUNDERBIRD_CALENDAR_EVIDENCE = [
  'quirks Q18: accepting an invitation before sync PUTs If-None-Match: * to a guessed name holding the same UID (nextcloud/server ThunderbirdPutInvitationQuirkPlugin.php; EGroupware calendar_groupdav.inc.php put)',
  'quirks Q32: Lightning stores dismissals by re-uploading the event with X-MOZ-LASTACK/X-MOZ-SNOOZE-TIME; on read-only calendars the PUT fails and the reminder pops up forever (nextcloud/server#21830, owncloud/core#26118, tine20#2565)',
];

export const thunderbirdCalendarHooks: Pick<QuirkProfile, 'ignorableWrite'> = {
  ignorableWrite: onlyAlarmStateDiffers,
};
