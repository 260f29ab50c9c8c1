// Dates as the table shows them. Fixed to UTC so the server's render and the browser's hydration agree
// whatever the two time zones are; the full timestamp is in the <time> element's title.

const day = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  timeZone: 'UTC',
});
const dayTime = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  timeZone: 'UTC',
  hourCycle: 'h23',
});

const time = new Intl.DateTimeFormat('en-GB', {
  hour: '2-digit',
  minute: '2-digit',
  timeZone: 'UTC',
  hourCycle: 'h23',
});

export function formatDay(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? '—' : day.format(date);
}

export function formatDayTime(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? '—' : `${dayTime.format(date)} UTC`;
}

/** "14:32 UTC". */
export function formatTime(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? '—' : `${time.format(date)} UTC`;
}

/** Changes within this long of the invitation are the invitation itself (group, records), not later ones. */
const SAME_CHANGE_MS = 60_000;

/**
 * When the member last changed, if they did after being invited: the day, or the time of day when it
 * is the invitation's day too. Undefined when there was no later change.
 */
export function formatLastChange(createdAt: string, lastChangedAt: string): string | undefined {
  const created = Date.parse(createdAt);
  const changed = Date.parse(lastChangedAt);
  if (Number.isNaN(created) || Number.isNaN(changed) || changed - created < SAME_CHANGE_MS) return undefined;
  return formatDay(createdAt) === formatDay(lastChangedAt)
    ? formatTime(lastChangedAt)
    : formatDay(lastChangedAt);
}

/** "12 members", "1 member", "about 50,000 members", "5 matching". */
export function totalText(total: { count: number; exact: boolean; filtered: boolean }): string {
  if (total.filtered) return `${total.count.toLocaleString('en-US')} matching`;
  const count = total.exact ? total.count : roughly(total.count);
  const noun = total.exact && total.count === 1 ? 'member' : 'members';
  return `${total.exact ? '' : 'about '}${count.toLocaleString('en-US')} ${noun}`;
}

/** Two significant digits: 50,123 → 50,000; 143 → 140; under 100 as it is. */
function roughly(count: number): number {
  if (count < 100) return count;
  const unit = 10 ** (Math.floor(Math.log10(count)) - 1);
  return Math.round(count / unit) * unit;
}
