/**
 * A WebSocket client at the TCP level, for sending what no well-behaved client library would:
 * unmasked frames, reserved opcodes, lengths that lie. The handshake is done by hand.
 */
import { connect, type Socket } from 'node:net';
import { randomBytes } from 'node:crypto';

export interface RawSocket {
  socket: Socket;
  /** Everything received after the handshake response. */
  received(): Buffer;
  /** Resolves when the server has closed or reset the connection. */
  closed: Promise<void>;
}

/** Opens a TCP connection and completes the upgrade to `/api` with the token. */
export function openRaw(port: number, token: string): Promise<RawSocket> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let buffer = Buffer.alloc(0);
    let upgraded = false;
    const closed = new Promise<void>((done) => socket.once('close', () => done()));
    socket.on('error', () => undefined); // a reset is one of the expected outcomes
    socket.once('connect', () => {
      socket.write(
        `GET /api?token=${token} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n` +
          `Origin: http://127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
          `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\n` +
          'Sec-WebSocket-Version: 13\r\n\r\n',
      );
    });
    socket.on('data', (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk]);
      if (upgraded) return;
      const end = buffer.indexOf('\r\n\r\n');
      if (end < 0) return;
      const head = buffer.subarray(0, end).toString('latin1');
      buffer = buffer.subarray(end + 4);
      if (!head.startsWith('HTTP/1.1 101')) {
        reject(new Error(`upgrade refused: ${head.split('\r\n')[0]}`));
        return;
      }
      upgraded = true;
      resolve({ socket, received: () => buffer, closed });
    });
    socket.once('close', () => {
      if (!upgraded) reject(new Error('closed before the upgrade'));
    });
  });
}

export interface FrameOptions {
  fin?: boolean;
  rsv?: number;
  opcode?: number;
  masked?: boolean;
  /** The length the header announces; the real payload length by default. */
  announcedLength?: bigint;
}

/** One frame with a header built exactly as told. */
export function frame(payload: Buffer, options: FrameOptions = {}): Buffer {
  const { fin = true, rsv = 0, opcode = 1, masked = true } = options;
  const length = options.announcedLength ?? BigInt(payload.length);
  const first = (fin ? 0x80 : 0) | ((rsv & 7) << 4) | (opcode & 0x0f);
  const maskBit = masked ? 0x80 : 0;
  let header: Buffer;
  if (length < 126n) header = Buffer.from([first, maskBit | Number(length)]);
  else if (length < 65536n) {
    header = Buffer.alloc(4);
    header[0] = first;
    header[1] = maskBit | 126;
    header.writeUInt16BE(Number(length), 2);
  } else {
    header = Buffer.alloc(10);
    header[0] = first;
    header[1] = maskBit | 127;
    header.writeBigUInt64BE(length, 2);
  }
  if (!masked) return Buffer.concat([header, payload]);
  const mask = randomBytes(4);
  const body = Buffer.from(payload.map((byte, i) => byte ^ mask[i % 4]!));
  return Buffer.concat([header, mask, body]);
}

/** A close frame's payload: the code, then an optional reason. */
export function closePayload(code: number, reason = ''): Buffer {
  const buffer = Buffer.alloc(2);
  buffer.writeUInt16BE(code, 0);
  return Buffer.concat([buffer, Buffer.from(reason)]);
}

const text = (s: string) => Buffer.from(s);

/** One frame per way of breaking the WebSocket protocol, each named for the test title. */
export const PROTOCOL_VIOLATIONS: [string, Buffer][] = [
  ['a header announcing 4 GB', frame(Buffer.alloc(0), { announcedLength: 4n * 1024n ** 3n })],
  ['invalid UTF-8 in a text frame', frame(Buffer.from([0xc3, 0x28, 0xff, 0xfe]))],
  ['an unmasked frame', frame(text('{"type":"call"}'), { masked: false })],
  ['reserved opcode 3', frame(text('hello'), { opcode: 3 })],
  ['RSV1 without compression', frame(text('hello'), { rsv: 4 })],
  ['close code 999', frame(closePayload(999), { opcode: 8 })],
  ['a control frame split in two', frame(text('ping'), { opcode: 9, fin: false })],
  ['a continuation with nothing to continue', frame(text('x'), { opcode: 0 })],
];
