/** Small HTTP helpers: a body read with a size limit, strict UTF-8 JSON, JSON answers. */
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { HttpError } from './decode.js';

/** The default limit of a request body: 1 MiB (about 5,000 records of ten features). */
export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

/**
 * Reads the body, refusing more than `limit` bytes with a 413: at once when the
 * Content-Length says so, else as soon as the bytes read pass the limit (the rest is
 * never read; the connection is closed after the answer).
 */
export function readBody(req: IncomingMessage, limit: number, hint = 'send fewer records per request'): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = req.headers['content-length'];
    if (declared !== undefined && Number(declared) > limit) {
      reject(tooLarge(limit, `Content-Length is ${declared}`, hint));
      return;
    }
    const encoding = req.headers['content-encoding'];
    if (encoding !== undefined && encoding.toLowerCase() !== 'identity') {
      reject(
        new HttpError(415, `Content-Encoding "${encoding}" is not supported: send the body uncompressed`, {}, 'unsupported_media_type'),
      );
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = (error: Error | null) => {
      if (done) return;
      done = true;
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('aborted', onAborted);
      if (error) reject(error);
      else resolve(Buffer.concat(chunks, size));
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.pause();
        finish(tooLarge(limit, 'the body is larger', hint));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => finish(null);
    const onError = (error: Error) => finish(new HttpError(400, `the request body could not be read (${error.message})`));
    const onAborted = () => finish(new HttpError(400, 'the client closed the request before its body was complete'));
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('aborted', onAborted);
  });
}

function tooLarge(limit: number, what: string, hint: string): HttpError {
  return new HttpError(413, `the request body is over the limit of ${limit} bytes (${what}); ${hint}`, {
    Connection: 'close',
  });
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Parses a body as JSON, with 400s that say what is wrong. */
export function parseJsonBody(body: Buffer, required = true): unknown {
  if (body.length === 0) {
    if (required) throw new HttpError(400, 'the request has no body: send a JSON object', {}, 'bad_body');
    return undefined;
  }
  let text: string;
  try {
    text = utf8.decode(body);
  } catch {
    throw new HttpError(400, 'the body is not valid UTF-8', {}, 'bad_body');
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    const message = error instanceof RangeError ? 'it is nested too deeply' : (error as Error).message.slice(0, 200);
    throw new HttpError(400, `the body is not valid JSON: ${message}`, {}, 'bad_body');
  }
}

/** Sends a JSON answer. */
export function sendJson(res: ServerResponse, status: number, value: unknown, headers: Record<string, string> = {}): void {
  const body = JSON.stringify(value);
  res.writeHead(status, {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(body),
    ...headers,
  });
  res.end(body);
}

/** Starts `server` listening on `host:port`; rejects with the listen error (a port in use, a bad address). */
export function listenOn(server: Server, port: number, host: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}
