/**
 * Who a text mentions: OpenProject's mention markup
 * (`<mention class="mention" data-id="5" data-type="user" data-text="@Ann">@Ann</mention>`) by id,
 * and plain `@login` by login.
 */
export function mentionsIn(text: string): { ids: number[]; logins: string[] } {
  const ids = new Set<number>();
  const logins = new Set<string>();
  const withoutTags = text.replace(/<mention\b([^>]*)>.*?<\/mention>/gs, (_match, attributes: string) => {
    const id = /data-id="(\d{1,15})"/.exec(attributes);
    const type = /data-type="([a-z_]+)"/.exec(attributes);
    if (id && (!type || type[1] === 'user')) ids.add(Number(id[1]));
    return ' ';
  });
  for (const match of withoutTags.matchAll(/(^|[^\p{L}\p{N}_@.])@([\p{L}\p{N}_\-.+@]+)/gu)) {
    // A sentence may end right after the login ("thanks @ann.").
    const login = match[2]!.replace(/[.\-+@]+$/, '');
    if (login) logins.add(login.toLowerCase());
  }
  return { ids: [...ids], logins: [...logins] };
}
