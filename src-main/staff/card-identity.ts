// Who a staff card says its holder is: the HSA-ID in the authentication certificate, and whether that certificate can be trusted now.
import { createHash } from 'node:crypto';
import { analyzeCertificates, certificateRole, type CrlFreshness, parseCertificate, type TrustMaterial } from '../card/certificates';

const OID_SERIAL_NUMBER = '2.5.4.5';

export interface StaffCardIdentity {
  hsaId: string;
  /** The authentication certificate: the card must prove it holds its key. */
  certificate: Uint8Array;
  /** Chains to a trusted root, is not revoked by an imported CRL and is within its validity. */
  trusted: boolean;
  /** Whether a CRL of its issuer is imported and still current: login needs one. */
  crl: CrlFreshness;
}

/** null when the card has no parsable authentication certificate with an HSA-ID in its subject. */
export async function staffCardIdentity(ders: readonly Uint8Array[], trust: TrustMaterial): Promise<StaffCardIdentity | null> {
  let auth: { der: Uint8Array; hsaId: string } | null = null;
  for (const der of ders) {
    try {
      const cert = parseCertificate(der);
      const hsaId = cert.subjectName.getField(OID_SERIAL_NUMBER)[0];
      if (certificateRole(cert) === 'auth' && hsaId) auth = { der, hsaId };
    } catch {
      // a broken certificate beside the authentication one does not stop the login
    }
    if (auth) break;
  }
  if (!auth) return null;
  const analysis = await analyzeCertificates(ders, trust);
  const sha256 = createHash('sha256').update(auth.der).digest('hex');
  const status = analysis.certificates.find((certificate) => certificate.sha256 === sha256)?.status;
  return { hsaId: auth.hsaId, certificate: auth.der, trusted: status === 'valid' || status === 'expiring', crl: analysis.crlFreshness.get(sha256) ?? 'missing' };
}
