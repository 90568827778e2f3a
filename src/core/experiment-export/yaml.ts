import { Document, isScalar, type ScalarTag, visit } from 'yaml';
import { quoteAscii, yamlScalar, type Plain } from './quote';

/**
 * A config file written by the `yaml` package (block mappings and lists, numbers-only lists in flow
 * style), read by PyYAML, which follows YAML 1.1. Two scalar kinds are written by quote.ts instead
 * of the package's defaults, because PyYAML would read those back differently:
 * - strings: always double-quoted and ASCII-escaped (quoteAscii). The package writes é, emoji and
 *   U+2028 raw, and PyYAML takes a raw U+2028 for a line break, dropping the spaces around it.
 * - numbers: a float in YAML 1.1 needs a dot and a signed exponent; "1e-7" would load as a string.
 */
export function toYaml(v: { [key: string]: Plain | undefined }): string {
  const doc = new Document(v, { version: '1.1', customTags: (tags) => [asciiString, pyyamlNumber, ...tags], aliasDuplicateObjects: false });
  // Widths and shapes read best on one line.
  visit(doc, {
    Seq(_key, node) {
      if (node.items.length > 0 && node.items.every((item) => isScalar(item) && typeof item.value === 'number')) node.flow = true;
    },
  });
  // lineWidth 0: a long file name is never folded over lines.
  return doc.toString({ lineWidth: 0, flowCollectionPadding: false, directives: false });
}

const PLAIN_KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** Words YAML 1.1 (PyYAML) would read as booleans or null, not as the key's text. */
const RESERVED = new Set(['y', 'n', 'yes', 'no', 'on', 'off', 'true', 'false', 'null']);

const asciiString: ScalarTag = {
  identify: (value) => typeof value === 'string',
  default: true,
  tag: 'tag:yaml.org,2002:str',
  resolve: (text) => text,
  // Keys stay plain where YAML 1.1 reads them back as the same text.
  stringify: ({ value }, ctx) => {
    const text = String(value);
    return ctx.implicitKey && PLAIN_KEY.test(text) && !RESERVED.has(text.toLowerCase()) ? text : quoteAscii(text);
  },
};

const pyyamlNumber: ScalarTag = {
  identify: (value) => typeof value === 'number',
  default: true,
  tag: 'tag:yaml.org,2002:float',
  // A test, like the package's own number tags, so that this one is chosen over them.
  test: /^[-+]?\d/,
  resolve: (text) => Number(text),
  stringify: ({ value }) => yamlScalar(Number(value)),
};
