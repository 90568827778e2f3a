import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { ConfusionMatrix } from './ConfusionMatrix';

const matrix = [
  [2, 1, 0],
  [0, 1, 1],
  [1, 0, 4],
];
const classNames = ['cat', 'dog', 'bird'];

/** Text of every match of `tag`, markup stripped. */
function texts(html: string, tag: string): string[] {
  return [...html.matchAll(new RegExp(`<${tag}\\b[^>]*>(.*?)</${tag}>`, 'g'))].map((m) => m[1].replace(/<[^>]+>/g, ''));
}

describe('ConfusionMatrix', () => {
  it('renders a captioned table with predicted classes as column headers and true classes as row headers', () => {
    const html = renderToStaticMarkup(
      <ConfusionMatrix caption="Confusion matrix: distilled student" matrix={matrix} classNames={classNames} />,
    );
    expect(texts(html, 'caption')).toEqual(['Confusion matrix: distilled student']);
    expect(html.match(/<th scope="col"[^>]*>.*?<\/th>/g)?.map((th) => th.replace(/<[^>]+>/g, ''))).toEqual([
      'True class \\ predicted',
      'Predicted cat',
      'Predicted dog',
      'Predicted bird',
    ]);
    expect(html.match(/<th scope="row">.*?<\/th>/g)?.map((th) => th.replace(/<[^>]+>/g, ''))).toEqual([
      'True cat',
      'True dog',
      'True bird',
    ]);
  });

  it('puts each count in its cell, the largest fully shaded and zero unshaded', () => {
    const html = renderToStaticMarkup(<ConfusionMatrix caption="m" matrix={matrix} classNames={classNames} />);
    const cells = texts(html, 'td');
    expect(cells).toEqual(['2', '1', '0', '0', '1', '1', '1', '0', '4']);
    const tds = html.match(/<td[^>]*>/g) ?? [];
    expect(tds[8]).toContain('class="diagonal"');
    expect(tds[8]).toContain('rgba(91, 63, 214, 0.600)');
    expect(tds[2]).toContain('rgba(91, 63, 214, 0.000)');
    expect(tds[0]).toContain('rgba(91, 63, 214, 0.300)'); // 2 of max 4
  });

  it('signs and colours a difference matrix: blue positive, red negative', () => {
    const html = renderToStaticMarkup(
      <ConfusionMatrix
        caption="Distilled minus scratch"
        diverging
        matrix={[
          [3, -1],
          [-3, 0],
        ]}
        classNames={['a', 'b']}
      />,
    );
    expect(texts(html, 'td')).toEqual(['+3', '-1', '-3', '0']);
    const tds = html.match(/<td[^>]*>/g) ?? [];
    expect(tds[0]).toContain('rgba(25, 113, 194, 0.600)');
    expect(tds[2]).toContain('rgba(201, 42, 42, 0.600)');
    expect(tds[1]).toContain('rgba(201, 42, 42, 0.200)');
  });

  it('names classes by index when no names are given', () => {
    const html = renderToStaticMarkup(
      <ConfusionMatrix
        caption="m"
        matrix={[
          [1, 0],
          [0, 1],
        ]}
      />,
    );
    expect(html).toContain('Predicted </span>1</th>');
  });
});
