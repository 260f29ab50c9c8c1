// Cognito pages forward only (PaginationToken). "Previous" works from a short trail of the tokens of
// the pages before this one, kept in the URL (`back`, repeated; '' is the first page), so a reload,
// a shared link and the browser's Back button all land on the same page.

export const MAX_TRAIL = 20;
const MAX_TOKEN_LENGTH = 4096;

export interface TrailLinks {
  /** Query string (without "?") of the previous page, or undefined on the first page. */
  previous?: string;
  /** Query string of the next page, or undefined on the last page. */
  next?: string;
  /** 1-based page number, when the trail reaches back to the first page. */
  pageNumber?: number;
}

/** The `back` values of a search-params object, bounded and sanitised. */
export function readTrail(value: string | string[] | undefined): string[] {
  const values = value === undefined ? [] : Array.isArray(value) ? value : [value];
  return values.filter((token) => token.length <= MAX_TOKEN_LENGTH && !/\s/.test(token)).slice(-MAX_TRAIL);
}

/**
 * Links to the neighbouring pages. `base` holds the filters to keep; `tokenParam` names the page
 * token parameter ("page" for members, "cursor" for activity).
 */
export function trailLinks({
  base,
  tokenParam,
  current,
  trail,
  next,
}: {
  base: Record<string, string | undefined>;
  tokenParam: string;
  current: string | undefined;
  trail: string[];
  next: string | undefined;
}): TrailLinks {
  const build = (token: string | undefined, back: string[]) => {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(base)) if (value) params.set(key, value);
    if (token) {
      params.set(tokenParam, token);
      for (const earlier of back) params.append('back', earlier);
    }
    return params.toString();
  };
  const links: TrailLinks = {};
  if (current) {
    const previousToken = trail.at(-1);
    // With no trail (a shared link, or a trail cut at MAX_TRAIL), "Previous" goes to the first page.
    links.previous = build(previousToken || undefined, trail.slice(0, -1));
  }
  if (next) links.next = build(next, [...trail, current ?? ''].slice(-MAX_TRAIL));
  if (!current) links.pageNumber = 1;
  else if (trail[0] === '') links.pageNumber = trail.length + 1;
  return links;
}
