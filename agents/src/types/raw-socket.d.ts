// Minimal typings for the raw-socket package (it ships none); only what icmp-socket.ts uses.
declare module 'raw-socket' {
  import type { EventEmitter } from 'node:events';

  export const AddressFamily: { IPv4: number; IPv6: number };
  export const Protocol: { None: number; ICMP: number; TCP: number; UDP: number; ICMPv6: number };

  export interface SocketOptions {
    protocol?: number;
    addressFamily?: number;
    bufferSize?: number;
  }

  export interface Socket extends EventEmitter {
    send(
      buffer: Buffer,
      offset: number,
      length: number,
      address: string,
      beforeCallback: () => void,
      afterCallback: (error: Error | null, bytes: number) => void,
    ): this;
    send(
      buffer: Buffer,
      offset: number,
      length: number,
      address: string,
      afterCallback: (error: Error | null, bytes: number) => void,
    ): this;
    close(): this;
    on(event: 'message', listener: (buffer: Buffer, source: string) => void): this;
    on(event: 'error', listener: (error: Error) => void): this;
    on(event: 'close', listener: () => void): this;
  }

  export function createSocket(options?: SocketOptions): Socket;
  export function createChecksum(...buffers: Buffer[]): number;
  export function writeChecksum(buffer: Buffer, offset: number, checksum: number): Buffer;

  const raw: {
    AddressFamily: typeof AddressFamily;
    Protocol: typeof Protocol;
    createSocket: typeof createSocket;
    createChecksum: typeof createChecksum;
    writeChecksum: typeof writeChecksum;
  };
  export default raw;
}
