import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { PredictionsTable } from './PredictionsTable';

const classNames = ['cat', 'dog', 'fox'];
const missing = { teacher: 'no teacher', distilled: 'No distilled student yet: press Distill.', scratch: 'no scratch' };
/** The rendered rows as text, cell by cell. */
function rows(html: string): string[][] {
  const body = html.slice(html.indexOf('<tbody>'));
  return [...body.matchAll(/<tr[^>]*>(.*?)<\/tr>/g)].map(([, row]) =>
    [...row.matchAll(/<t[hd][^>]*>(.*?)<\/t[hd]>/g)].map(([, cell]) =>
      cell.replace(/<(?!svg)[^>]+>/g, '').replace(/<svg[^>]*aria-label="([^"]*)".*$/, '[$1]'),
    ),
  );
}

describe('the Try it predictions table', () => {
  it('gives each model its top class, confidence and bars at the temperature, and a dash with the reason for a missing one', () => {
    // Logits 2, 0, 0 for the teacher: at T = 1 the top class has e²/(e² + 2) = 78.7%, at T = 2 e/(e + 2) = 57.6%.
    const logits = { teacher: Float32Array.from([2, 0, 0]), distilled: null, scratch: Float32Array.from([0, 0, 3]) };
    const at1 = renderToStaticMarkup(<PredictionsTable classNames={classNames} logits={logits} temperature={1} missing={missing} />);
    expect(at1).toContain('aria-label="Try it predictions"');
    expect(rows(at1)).toEqual([
      ['Teacher', 'cat', '78.7%', expect.stringMatching(/^\[Teacher: class probabilities at T = 1: cat 78\.7%, dog 10\.7%, fox 10\.7%\]/)],
      ['Distilled student', '—', '—', 'No distilled student yet: press Distill.'],
      ['Scratch student', 'fox', expect.stringMatching(/^\d+\.\d%$/), expect.stringContaining('fox')],
    ]);
    const at2 = renderToStaticMarkup(<PredictionsTable classNames={classNames} logits={logits} temperature={2} missing={missing} />);
    expect(rows(at2)[0].slice(0, 3)).toEqual(['Teacher', 'cat', '57.6%']);
  });

  it('says whether a test example was read right, and refuses logits of the wrong width', () => {
    const logits = { teacher: Float32Array.from([0, 5, 0]), distilled: Float32Array.from([5, 0, 0]), scratch: Float32Array.from([1, 2]) };
    const html = renderToStaticMarkup(
      <PredictionsTable classNames={classNames} logits={logits} temperature={1} missing={missing} label={1} />,
    );
    const [teacher, distilled, scratch] = rows(html);
    expect(teacher[1]).toBe('dog (right)');
    expect(distilled[1]).toBe('cat (wrong)');
    expect(scratch).toEqual(['Scratch student', '—', '—', 'no scratch']);
  });
});
