/**
 * A chart as a PNG: recharts draws an <svg>, but its look comes from CSS (classes, custom
 * properties, inherited fonts) that an <img> of the bare markup would not see. So each element's
 * computed style is copied onto a clone, the clone is drawn on a canvas, and the caption (above)
 * and the legend (HTML, over or under the SVG) are drawn with it.
 */

/** What the SVG needs to look as it does on the page; layout properties are already in its attributes. */
const SVG_STYLE = [
  'fill',
  'fill-opacity',
  'stroke',
  'stroke-width',
  'stroke-dasharray',
  'stroke-opacity',
  'stroke-linecap',
  'stroke-linejoin',
  'opacity',
  'visibility',
  'display',
  'font-family',
  'font-size',
  'font-weight',
  'text-anchor',
  'dominant-baseline',
] as const;

/** A download name from a chart title: path separators and characters Windows refuses (control characters too) become dashes. */
export function pngFileName(title: string): string {
  const base = title
    .replace(/[\\/:*?"<>|\p{Cc}]+/gu, '-')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 120);
  return `${base || 'chart'}.png`;
}

function inlineStyles(source: Element, clone: Element): void {
  const computed = getComputedStyle(source);
  // Through the CSSOM, not setAttribute('style'): the page's CSP (style-src 'self') refuses inline style text.
  const style = (clone as SVGElement).style;
  for (const p of SVG_STYLE) style.setProperty(p, computed.getPropertyValue(p));
  for (let i = 0; i < source.children.length; i++) inlineStyles(source.children[i], clone.children[i]);
}

/** The plot, not a legend icon (those are small <svg>s too). */
function chartSvg(figure: Element): SVGSVGElement {
  const svgs = Array.from(figure.querySelectorAll('svg'));
  const area = (s: SVGSVGElement) => s.getBoundingClientRect().width * s.getBoundingClientRect().height;
  const svg = svgs.sort((a, b) => area(b) - area(a))[0];
  if (!svg || area(svg) === 0) throw new Error('The chart is not drawn yet.');
  return svg;
}

async function svgImage(svg: SVGSVGElement, width: number, height: number): Promise<HTMLImageElement> {
  const clone = svg.cloneNode(true) as SVGSVGElement;
  inlineStyles(svg, clone);
  clone.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
  clone.setAttribute('width', String(width));
  clone.setAttribute('height', String(height));
  const img = new Image();
  // A data URL, not a blob URL: nothing to revoke, and it never taints the canvas.
  img.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(new XMLSerializer().serializeToString(clone))}`;
  await img.decode();
  return img;
}

function fontOf(el: Element): string {
  const s = getComputedStyle(el);
  return `${s.fontWeight} ${s.fontSize} ${s.fontFamily}`;
}

/** A transparent figure would give a black-on-transparent PNG: fall back to white. */
function background(figure: Element): string {
  const bg = getComputedStyle(figure).backgroundColor;
  return !bg || bg === 'transparent' || /rgba\(.*,\s*0\)$/.test(bg) ? '#ffffff' : bg;
}

interface LegendEntry {
  text: string;
  /** The series colour, from the icon: the text is in the theme's colour (styles.css), for contrast. */
  color: string;
  textColor: string;
  dash: number[];
  /** Where its icon and its text sit, relative to the plot's top-left corner. */
  icon: { x: number; width: number };
  textX: number;
  y: number;
}

/** The legend is HTML, over the plot or under it: each entry is drawn where the page shows it. */
function legendEntries(figure: Element, plot: DOMRect): LegendEntry[] {
  return Array.from(figure.querySelectorAll('.recharts-legend-item')).map((item) => {
    const text = item.querySelector('.recharts-legend-item-text') ?? item;
    const icon = item.querySelector('svg path, svg line, svg circle');
    const iconStyle = icon ? getComputedStyle(icon) : null;
    const dash = iconStyle
      ? iconStyle.strokeDasharray
          .split(/[\s,]+/)
          .map(Number.parseFloat)
          .filter((n) => n > 0)
      : [];
    const textColor = getComputedStyle(text).color;
    // Lines are stroked, bars filled: whichever paint the icon has.
    const color = !iconStyle
      ? textColor
      : iconStyle.stroke !== 'none'
        ? iconStyle.stroke
        : iconStyle.fill !== 'none'
          ? iconStyle.fill
          : textColor;
    const box = item.getBoundingClientRect();
    const iconBox = item.querySelector('svg')?.getBoundingClientRect() ?? { left: box.left, width: 14 };
    return {
      text: text.textContent ?? '',
      color,
      textColor,
      dash,
      icon: { x: iconBox.left - plot.left, width: iconBox.width },
      textX: text.getBoundingClientRect().left - plot.left,
      y: box.top + box.height / 2 - plot.top,
    };
  });
}

/** Caption on top, then the plot with its legend: the picture says what it shows without the page. */
export async function figureToPng(figure: Element, scale = 2): Promise<Blob> {
  const painted = figure.querySelector('canvas');
  if (painted && !figure.querySelector('svg')) return canvasFigureToPng(figure, painted);
  const svg = chartSvg(figure);
  const plot = svg.getBoundingClientRect();
  const { width, height } = plot;
  const img = await svgImage(svg, width, height);
  const caption = figure.querySelector('figcaption');
  const legend = legendEntries(figure, plot);
  const pad = 10;
  const top = caption ? pad + 20 : 0;
  const bottom = Math.max(height, ...legend.map((e) => e.y + pad));

  const canvas = document.createElement('canvas');
  canvas.width = Math.ceil(width * scale);
  canvas.height = Math.ceil((top + bottom) * scale);
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('This browser cannot draw on a canvas.');
  ctx.scale(scale, scale);
  ctx.fillStyle = background(figure);
  ctx.fillRect(0, 0, width, top + bottom);
  ctx.textBaseline = 'middle';
  if (caption) {
    ctx.font = fontOf(caption);
    ctx.fillStyle = getComputedStyle(caption).color;
    ctx.fillText(caption.textContent ?? '', pad, pad + 10, width - 2 * pad);
  }
  ctx.drawImage(img, 0, top, width, height);
  const legendText = figure.querySelector('.recharts-legend-item-text');
  ctx.font = legendText ? fontOf(legendText) : '13px sans-serif';
  for (const entry of legend) {
    const y = top + entry.y;
    ctx.strokeStyle = entry.color;
    ctx.lineWidth = 2;
    ctx.setLineDash(entry.dash);
    ctx.beginPath();
    ctx.moveTo(entry.icon.x, y);
    ctx.lineTo(entry.icon.x + entry.icon.width, y);
    ctx.stroke();
    ctx.fillStyle = entry.textColor;
    ctx.fillText(entry.text, entry.textX, y);
  }
  return new Promise((resolve, reject) =>
    canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error('The browser could not encode the PNG.'))), 'image/png'),
  );
}

/** A figure painted on a canvas (decision boundaries): its caption on top, then the picture as painted. */
async function canvasFigureToPng(figure: Element, painted: HTMLCanvasElement): Promise<Blob> {
  const caption = figure.querySelector('figcaption');
  const pad = 10;
  const top = caption ? pad + 20 : 0;
  const width = Math.max(painted.width, 240);
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = top + painted.height;
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('This browser cannot draw on a canvas.');
  ctx.fillStyle = background(figure);
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  if (caption) {
    ctx.font = fontOf(caption);
    ctx.fillStyle = getComputedStyle(caption).color;
    ctx.textBaseline = 'middle';
    ctx.fillText(caption.textContent ?? '', pad, pad + 10, width - 2 * pad);
  }
  ctx.drawImage(painted, 0, top);
  return new Promise((resolve, reject) =>
    canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error('The picture could not be encoded.'))), 'image/png'),
  );
}
