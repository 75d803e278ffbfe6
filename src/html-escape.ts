// Text placed in HTML or SVG markup (element text and attribute values): the four characters
// that would end or open markup, escaped. Shared by the HTML pages the validator and the
// litmus command write.

export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
