import { describe, expect, it } from 'vitest';
import type { Annotation } from '../../ui/src/api/types.js';
import { parseFunctionDefinition } from '../../ui/src/lib/function-schema.js';
import { citationPage, renderMessageText } from '../../ui/src/lib/markdown.js';

describe('renderMessageText', () => {
  it('renders Markdown and escapes raw HTML', () => {
    const { html } = renderMessageText('**굵게** <script>alert(1)</script> <img src=x onerror=alert(1)>');
    expect(html).toContain('<strong>굵게</strong>');
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<img');
    expect(html).toContain('&lt;script&gt;');
  });

  it('drops unsafe link targets', () => {
    const { html } = renderMessageText('[x](javascript:alert(1)) [ok](https://example.com)');
    expect(html).not.toContain('javascript:');
    expect(html).toContain('href="https://example.com"');
  });

  it('turns file_citation annotations into numbered footnotes with page numbers', () => {
    const value = 'Revenue grew 12%【4:0†report.pdf】 and costs fell【4:1†report.pdf】.';
    const first = '【4:0†report.pdf】';
    const second = '【4:1†report.pdf】';
    const annotations: Annotation[] = [
      { type: 'file_citation', text: first, start_index: value.indexOf(first), end_index: value.indexOf(first) + first.length, file_citation: { file_id: 'file_a', quote: 'page 3: revenue +12%' } },
      { type: 'file_citation', text: second, start_index: value.indexOf(second), end_index: value.indexOf(second) + second.length, file_citation: { file_id: 'file_b' } },
    ];
    const { html, citations } = renderMessageText(value, annotations);
    expect(html).toContain('<sup class="cite">[1]</sup>');
    expect(html).toContain('<sup class="cite">[2]</sup>');
    expect(html).not.toContain('【');
    expect(citations).toEqual([
      { n: 1, fileId: 'file_a', quote: 'page 3: revenue +12%', page: '3' },
      { n: 2, fileId: 'file_b' },
    ]);
  });

  it('turns file_path annotations into download links, inside Markdown links too', () => {
    const value = 'Here: [the chart](sandbox:/mnt/data/chart.png) and sandbox:/mnt/data/data.csv';
    const a = 'sandbox:/mnt/data/chart.png';
    const b = 'sandbox:/mnt/data/data.csv';
    const annotations: Annotation[] = [
      { type: 'file_path', text: a, start_index: value.indexOf(a), end_index: value.indexOf(a) + a.length, file_path: { file_id: 'file_chart' } },
      { type: 'file_path', text: b, start_index: value.indexOf(b), end_index: value.indexOf(b) + b.length, file_path: { file_id: 'file_csv' } },
    ];
    const { html, files } = renderMessageText(value, annotations);
    expect(html).toContain('<a href="#" class="file-link" data-file-id="file_chart">the chart</a>');
    expect(html).toContain('data-file-id="file_csv">data.csv</a>');
    expect(files.map((f) => f.fileId)).toEqual(['file_chart', 'file_csv']);
  });

  it('bolds **text** that ends in punctuation and is followed by a Korean particle', () => {
    expect(renderMessageText('성장률은 **1.4%**로, **"Spool"**은 서버입니다.').html).toBe('<p>성장률은 <strong>1.4%</strong>로, <strong>&quot;Spool&quot;</strong>은 서버입니다.</p>\n');
    expect(renderMessageText('**굵게** 그리고 **[링크](https://example.com)**를').html).toBe(
      '<p><strong>굵게</strong> 그리고 <strong><a href="https://example.com" target="_blank" rel="noopener noreferrer">링크</a></strong>를</p>\n',
    );
    // Not bold: spaces inside the delimiters, or code.
    expect(renderMessageText('2 ** 3 **은').html).toBe('<p>2 ** 3 **은</p>\n');
    expect(renderMessageText('`**a.**b` **b.**c').html).toBe('<p><code>**a.**b</code> **b.**c</p>\n');
  });

  it('ignores annotations whose indices do not match and cannot be found', () => {
    const { html, citations } = renderMessageText('plain', [{ type: 'file_citation', text: 'zzz', start_index: 0, end_index: 3, file_citation: { file_id: 'f' } }]);
    expect(html).toContain('plain');
    expect(citations).toEqual([]);
  });
});

describe('citationPage', () => {
  it('prefers an explicit page, then reads "p. N" / "N쪽" from the marker or quote', () => {
    const base = { type: 'file_citation' as const, start_index: 0, end_index: 1 };
    expect(citationPage({ ...base, text: 'x', file_citation: { file_id: 'f', page: 9 } })).toBe('9');
    expect(citationPage({ ...base, text: '【1†doc.pdf†p.4】', file_citation: { file_id: 'f' } })).toBe('4');
    expect(citationPage({ ...base, text: 'x', file_citation: { file_id: 'f', quote: '12쪽 참조' } })).toBe('12');
    expect(citationPage({ ...base, text: 'x', file_citation: { file_id: 'f', quote: 'no number' } })).toBeUndefined();
    expect(citationPage({ ...base, text: '【0:1†p.5-notes.pdf】', file_citation: { file_id: 'f' } })).toBeUndefined();
    expect(citationPage({ ...base, text: '【0:1†p.5-notes.pdf†p.12】', file_citation: { file_id: 'f' } })).toBe('12');
  });
});

describe('parseFunctionDefinition', () => {
  it('accepts a definition or a full tool object', () => {
    expect(parseFunctionDefinition('{"name":"f","parameters":{"type":"object","properties":{}}}')).toMatchObject({ ok: true, value: { name: 'f' } });
    expect(parseFunctionDefinition('{"type":"function","function":{"name":"g"}}')).toMatchObject({ ok: true, value: { name: 'g' } });
  });

  it('explains what is wrong', () => {
    expect(parseFunctionDefinition('{')).toMatchObject({ ok: false, error: expect.stringContaining('Invalid JSON') });
    expect(parseFunctionDefinition('{"parameters":{}}')).toMatchObject({ ok: false, error: expect.stringContaining('"name"') });
    expect(parseFunctionDefinition('{"name":"has space"}')).toMatchObject({ ok: false });
    expect(parseFunctionDefinition('{"name":"f","parameters":[]}')).toMatchObject({ ok: false, error: expect.stringContaining('parameters') });
  });
});
