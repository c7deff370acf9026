import MarkdownIt from 'markdown-it';

/**
 * Markdown → HTML as OpenProject renders Formattable texts (CommonMark + tables/strikethrough, single
 * newlines as line breaks, `op-uc-*` classes). Raw HTML in the source is escaped, never passed through,
 * and markdown-it refuses `javascript:` and similar link targets, so the HTML is safe to show.
 */
const md = new MarkdownIt({ html: false, linkify: true, breaks: true });

const CLASSES: Record<string, string> = {
  paragraph_open: 'op-uc-p',
  bullet_list_open: 'op-uc-list',
  ordered_list_open: 'op-uc-list',
  list_item_open: 'op-uc-list--item',
  blockquote_open: 'op-uc-blockquote',
  link_open: 'op-uc-link',
  code_inline: 'op-uc-code',
  code_block: 'op-uc-code-block',
  fence: 'op-uc-code-block',
  table_open: 'op-uc-table',
};

md.core.ruler.push('op_uc_classes', (state) => {
  const visit = (tokens: typeof state.tokens) => {
    for (const token of tokens) {
      const cls = token.type === 'heading_open' ? `op-uc-h${token.tag.slice(1)}` : CLASSES[token.type];
      if (cls) token.attrJoin('class', cls);
      if (token.type === 'link_open') token.attrSet('rel', 'noopener noreferrer');
      if (token.children) visit(token.children);
    }
  };
  visit(state.tokens);
});

/** OpenProject's mention tags become links to the user (the tag itself would be escaped). */
function mentionsToLinks(raw: string): string {
  return raw.replace(/<mention\b([^>]*)>(.*?)<\/mention>/gs, (whole, attributes: string, text: string) => {
    const id = /data-id="(\d{1,15})"/.exec(attributes)?.[1];
    const type = /data-type="(user|group)"/.exec(attributes)?.[1] ?? 'user';
    if (!id) return whole;
    const label = text.replace(/[[\]\\]/g, '\\$&');
    return `[${label}](/${type === 'user' ? 'users' : 'groups'}/${id})`;
  });
}

export function renderMarkdown(raw: string): string {
  return md.render(mentionsToLinks(raw)).trim();
}
