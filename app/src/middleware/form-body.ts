// Reads form bodies (urlencoded, as browsers send them, or JSON) into ctx.request.form.
// Written out here instead of taken from a package so each rule is visible: a size limit, a field
// limit, strict UTF-8, and no nesting magic: `a[b][c]=1` is one field named "a[b][c]".
import type { Middleware } from 'koa';
import { AppError } from '../errors.js';

/** A field's value: a string, or what a client sent instead (handlers accept strings only). */
export type FormValue = string | string[] | unknown;
export type Form = Record<string, FormValue>;

declare module 'koa' {
  interface Request {
    form: Form;
  }
}

export type FormBodyOptions = { maxBytes: number; maxFields: number };

export function formBody({ maxBytes, maxFields }: FormBodyOptions): Middleware {
  return async function parseFormBody(ctx, next) {
    ctx.request.form = {};
    if (ctx.method === 'POST' || ctx.method === 'PUT' || ctx.method === 'PATCH') {
      const raw = await readBody(ctx.req, maxBytes);
      if (raw.length > 0) {
        const text = decodeUtf8(raw);
        if (ctx.is('application/x-www-form-urlencoded')) {
          ctx.request.form = parseUrlEncoded(text, maxFields);
        } else if (ctx.is('application/json')) {
          ctx.request.form = parseJsonObject(text, maxFields);
        } else {
          throw new AppError('UNSUPPORTED_BODY');
        }
      }
    }
    await next();
  };
}

function readBody(stream: NodeJS.ReadableStream, maxBytes: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        // Stop buffering at the limit: the rest is read and thrown away, so the 413 still reaches the client.
        stream.off('data', onData);
        stream.resume();
        reject(new AppError('BODY_TOO_LARGE'));
        return;
      }
      chunks.push(chunk);
    };
    stream.on('data', onData);
    stream.once('end', () => resolve(Buffer.concat(chunks)));
    stream.once('error', reject);
  });
}

function decodeUtf8(raw: Buffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(raw);
  } catch {
    throw new AppError('BAD_FORM', 'The form contains bytes that are not valid UTF-8 text.');
  }
}

/** `a=1&b=2` → { a: '1', b: '2' }; a repeated name becomes an array (which handlers refuse). */
export function parseUrlEncoded(text: string, maxFields: number): Form {
  const form: Form = Object.create(null) as Form;
  const pairs = text.split('&').filter((p) => p !== '');
  if (pairs.length > maxFields) throw new AppError('BAD_FORM', `A form may have at most ${maxFields} fields.`);
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    const name = decodeComponent(eq === -1 ? pair : pair.slice(0, eq));
    const value = decodeComponent(eq === -1 ? '' : pair.slice(eq + 1));
    const previous = form[name];
    form[name] = previous === undefined ? value : ([] as unknown[]).concat(previous, value);
  }
  return form;
}

function decodeComponent(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    throw new AppError('BAD_FORM', 'The form contains an invalid %-escape or text that is not valid UTF-8.');
  }
}

function parseJsonObject(text: string, maxFields: number): Form {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new AppError('BAD_FORM', 'The request body is not valid JSON.');
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new AppError('BAD_FORM', 'The JSON body must be an object of fields.');
  }
  if (Object.keys(value).length > maxFields) {
    throw new AppError('BAD_FORM', `A form may have at most ${maxFields} fields.`);
  }
  return value as Form;
}

/**
 * The named fields as strings ('' when absent). Anything else (an array from a repeated field, an
 * object or number from JSON) is refused with 400: passing an object on to the SQL layer is how
 * injection sneaks past placeholders in some drivers.
 */
export function readStringFields<K extends string>(form: Form, names: readonly K[]): Record<K, string> {
  const fields = {} as Record<K, string>;
  for (const name of names) {
    const value = Object.hasOwn(form, name) ? form[name] : undefined;
    if (value === undefined) fields[name] = '';
    else if (typeof value === 'string') fields[name] = value;
    else throw new AppError('NOT_A_STRING', `The field "${name}" must be plain text.`);
  }
  return fields;
}
