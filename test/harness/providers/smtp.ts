import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerDataStream } from 'smtp-server';

/**
 * An SMTP server in process on 127.0.0.1 (smtp-server, the same library as Siaga's email-in): it records every
 * message it accepts, raw, and answers the next transactions with scripted refusals when told to.
 */
export interface ReceivedMail {
  readonly from: string | null;
  readonly to: readonly string[];
  readonly raw: Buffer;
  /** The user that authenticated, when the client did. */
  readonly user: string | undefined;
}

/** A refusal for one transaction: the reply to MAIL FROM, RCPT TO, or the end of the message data. */
export interface SmtpRefusal {
  readonly at: 'mail' | 'rcpt' | 'data';
  readonly code: number;
  readonly message: string;
}

export interface FakeSmtp {
  readonly host: string;
  readonly port: number;
  readonly mails: ReceivedMail[];
  /** Queues a refusal; each is used once, by the next transaction that reaches its stage. */
  refuseNext(refusal: SmtpRefusal): void;
  close(): Promise<void>;
}

export async function startFakeSmtp(
  opts: { readonly auth?: { readonly user: string; readonly password: string } } = {},
): Promise<FakeSmtp> {
  const mails: ReceivedMail[] = [];
  const refusals: SmtpRefusal[] = [];

  function refusal(at: SmtpRefusal['at']): Error | undefined {
    if (refusals[0]?.at !== at) return undefined;
    const r = refusals.shift()!;
    return Object.assign(new Error(r.message), { responseCode: r.code });
  }

  const server = new SMTPServer({
    name: 'fake-smtp.test',
    // No STARTTLS: smtp-server would offer it with its built-in certificate, which the client rightly refuses.
    disabledCommands: opts.auth ? ['STARTTLS'] : ['STARTTLS', 'AUTH'],
    authOptional: !opts.auth,
    allowInsecureAuth: true,
    disableReverseLookup: true,
    logger: false,
    onAuth(auth, _session, callback) {
      if (opts.auth && auth.username === opts.auth.user && auth.password === opts.auth.password) {
        return callback(null, { user: auth.username });
      }
      callback(Object.assign(new Error('Invalid username or password'), { responseCode: 535 }));
    },
    onMailFrom(_address, _session, callback) {
      callback(refusal('mail'));
    },
    onRcptTo(_address, _session, callback) {
      callback(refusal('rcpt'));
    },
    onData(stream: SMTPServerDataStream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const refused = refusal('data');
        if (refused) return callback(refused);
        mails.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : null,
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks),
          user: typeof session.user === 'string' ? session.user : undefined,
        });
        callback(null, `OK: queued as Q${mails.length}`);
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.server.address() as AddressInfo;
  return {
    host: '127.0.0.1',
    port,
    mails,
    refuseNext: (r) => void refusals.push(r),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/**
 * A server that speaks just enough SMTP to take a message and then drops the connection without a reply: at RCPT
 * TO (nothing was sent) or after the message data (the mail may have been delivered; only the answer is lost).
 */
export interface DroppingSmtp {
  readonly port: number;
  close(): Promise<void>;
}

export async function startDroppingSmtp(dropAt: 'rcpt' | 'after-data'): Promise<DroppingSmtp> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    let buffer = '';
    let inData = false;
    socket.write('220 dropping.test ESMTP\r\n');
    socket.on('data', (chunk: Buffer) => {
      buffer += chunk.toString('latin1');
      for (;;) {
        if (inData) {
          const end = buffer.indexOf('\r\n.\r\n');
          if (end < 0) return;
          // The whole message is in; the reply never comes.
          socket.destroy();
          return;
        }
        const eol = buffer.indexOf('\r\n');
        if (eol < 0) return;
        const line = buffer.slice(0, eol);
        buffer = buffer.slice(eol + 2);
        const verb = line.slice(0, 4).toUpperCase();
        if (verb === 'EHLO' || verb === 'HELO') socket.write('250 dropping.test\r\n');
        else if (verb === 'MAIL') socket.write('250 OK\r\n');
        else if (verb === 'RCPT') {
          if (dropAt === 'rcpt') return void socket.destroy();
          socket.write('250 OK\r\n');
        } else if (verb === 'DATA') {
          inData = true;
          socket.write('354 End data with <CR><LF>.<CR><LF>\r\n');
        } else if (verb === 'QUIT') return void socket.end('221 Bye\r\n');
        else socket.write('250 OK\r\n');
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
