import { escapeHtml, html } from './html';

describe('html', () => {
  it('escapes interpolated text, attributes included', () => {
    const label = `<script>alert("x")</script> & 'friends'`;
    expect(html`<td title="${label}">${label}</td>`.text).toBe(
      '<td title="&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;friends&#39;">' +
        '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;friends&#39;</td>',
    );
  });

  it('keeps nested fragments and lists as markup', () => {
    const items = ['a', 'b<'].map((x) => html`<li>${x}</li>`);
    const list = html`<ul>
      ${items}
    </ul>`.text.replace(/>\s+</g, '><');
    expect(list).toBe('<ul><li>a</li><li>b&lt;</li></ul>');
  });

  it('renders nothing for null, undefined and false', () => {
    expect(html`[${null}${undefined}${false}${0}]`.text).toBe('[0]');
  });

  it('escapes every character that matters', () => {
    expect(escapeHtml(`&<>"'`)).toBe('&amp;&lt;&gt;&quot;&#39;');
  });
});
