import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import tls from 'node:tls';

export interface OutboundResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** Node's TLS verification failures: all shown as OpenProject's "certificate verify failed". */
const CERTIFICATE_ERRORS = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_UNTRUSTED',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

export class OutboundError extends Error {
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
  }

  get certificate(): boolean {
    return CERTIFICATE_ERRORS.has(this.code);
  }
}

/**
 * HTTP(S) requests from one server to the other (Projects → Nextcloud, Cloud → OpenProject). TLS
 * trusts the system roots plus the operator's CA bundle (`PROJECTS_CA_BUNDLE` / `CLOUD_CA_BUNDLE`),
 * re-read on every request so a CA added to the file is trusted without a restart. Redirects are
 * not followed (both sides' host checks report a 3xx themselves).
 */
export class Outbound {
  constructor(
    private readonly caBundle: string | undefined,
    private readonly timeoutMs = 5000,
    private readonly userAgent = 'Tandem Projects',
  ) {}

  private ca(): string[] | undefined {
    if (!this.caBundle) return undefined;
    let extra: string;
    try {
      extra = fs.readFileSync(this.caBundle, 'utf8');
    } catch {
      return undefined;
    }
    return [...tls.rootCertificates, extra];
  }

  request(method: string, url: string, headers: Record<string, string> = {}, body?: string): Promise<OutboundResponse> {
    const target = new URL(url);
    const secure = target.protocol === 'https:';
    const options: https.RequestOptions = { method, headers: { 'user-agent': this.userAgent, ...headers }, timeout: this.timeoutMs };
    if (secure) {
      const ca = this.ca();
      if (ca) options.ca = ca;
    }
    return new Promise((resolve, reject) => {
      const request = (secure ? https : http).request(target, options, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks).toString('utf8') }));
        response.on('error', (error) => reject(new OutboundError(error.message, 'ERESPONSE')));
      });
      request.on('timeout', () => request.destroy(new OutboundError('timed out', 'ETIMEDOUT')));
      request.on('error', (error: NodeJS.ErrnoException) => {
        reject(error instanceof OutboundError ? error : new OutboundError(error.message, error.code ?? 'EUNKNOWN'));
      });
      request.end(body);
    });
  }
}
