/**
 * Every refusal of an ONNX model: the message says what is wrong and where, starting with the file's
 * name when it is known, in words for the person who chose the file.
 */
export class OnnxError extends Error {
  constructor(message: string) {
    // Names come from the file: a control character in one must not reach the page as is.
    super(message.replace(/\p{Cc}/gu, '\ufffd'));
    this.name = 'OnnxError';
  }
}

/** Longest stretch of ONNX Runtime's own message carried into ours. */
const MAX_DETAIL = 300;

export function shortDetail(text: string): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return oneLine.length > MAX_DETAIL ? `${oneLine.slice(0, MAX_DETAIL)}…` : oneLine;
}

/** `file: message`, or the message alone when there is no file name. */
export const inFile = (fileName: string | undefined, message: string): string => (fileName ? `${fileName}: ${message}` : message);

/** Longest name (input, output, op, tensor) quoted in a message: names come from the file, any length. */
const MAX_NAME = 80;

export const clipName = (name: string): string => (name.length > MAX_NAME ? `${name.slice(0, MAX_NAME)}…` : name);

/** A name from the file, quoted and clipped, for messages. */
export const quote = (name: string): string => `"${clipName(name)}"`;
