// Test-time TLS material for server mode: the server's own certificate (openssl) and SITHS client certificates from the test PKI.
import { spawnSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { x509 } from '../../src-main/card/x509';
import type { Holder, TestPki } from '../sim/pki';

export interface ServerTls {
  certFile: string;
  keyFile: string;
  cert: string;
  key: string;
}

/** A self-signed certificate for 127.0.0.1 and localhost, valid two days. */
export function serverTls(): ServerTls {
  const dir = mkdtempSync(join(tmpdir(), 'kortstation-tls-'));
  const certFile = join(dir, 'server.pem');
  const keyFile = join(dir, 'server-key.pem');
  const made = spawnSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', keyFile, '-out', certFile, '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost', '-days', '2'], { encoding: 'utf8' });
  if (made.status !== 0) throw new Error(`openssl failed: ${made.stderr}`);
  return { certFile, keyFile, cert: readFileSync(certFile, 'utf8'), key: readFileSync(keyFile, 'utf8') };
}

export const pem = (der: Uint8Array): string => `${x509.PemConverter.encode(Uint8Array.from(der).buffer, 'CERTIFICATE')}\n`;

export interface ClientCertificate {
  /** The authentication certificate, then its issuing CA (PEM), as Net iD sends them. */
  cert: string;
  key: string;
  certFile: string;
  keyFile: string;
  serialNumber: string;
}

/** A SITHS authentication certificate with its own key, as a browser presents it through Net iD; `untrusted`: issued by look-alike CAs. */
export async function clientCertificate(pki: TestPki, holder: Holder, options: { untrusted?: boolean } = {}): Promise<ClientCertificate> {
  const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const serialNumber = `7e${Buffer.from(crypto.getRandomValues(new Uint8Array(11))).toString('hex')}`;
  const now = Date.now();
  const spec = { holder, usage: 'auth' as const, notBefore: new Date(now - 86_400_000), notAfter: new Date(now + 365 * 86_400_000), serialNumber, publicKey };
  const der = options.untrusted ? await pki.issueUntrusted(spec) : await pki.issue(spec);
  const cert = pem(der) + (options.untrusted ? '' : pem(pki.issuingCaDer));
  const key = privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
  const dir = mkdtempSync(join(tmpdir(), 'kortstation-client-'));
  writeFileSync(join(dir, 'cert.pem'), cert);
  writeFileSync(join(dir, 'key.pem'), key, { mode: 0o600 });
  return { cert, key, certFile: join(dir, 'cert.pem'), keyFile: join(dir, 'key.pem'), serialNumber };
}

export interface HttpsReply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export interface HttpsCall {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  client?: { cert: string; key: string };
}

/** One request on a connection of its own (no TLS session reuse between client certificates); the server's certificate is pinned. */
export function httpsCall(origin: string, path: string, serverCert: string, call: HttpsCall = {}): Promise<HttpsReply> {
  return new Promise((resolve, reject) => {
    const request = httpsRequest(
      new URL(path, origin),
      { method: call.method ?? 'GET', headers: call.headers, ca: serverCert, agent: false, ...(call.client ?? {}) },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks).toString('utf8') }));
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    request.end(call.body);
  });
}
