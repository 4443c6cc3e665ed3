package dev.sts.kit.tls;

import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Reads the SPIFFE ID of an X.509-SVID leaf certificate, with the checks of the SPIFFE X.509-SVID
 * specification that the TLS handshake does not make: exactly one URI SAN, and that URI a valid SPIFFE
 * ID; a leaf, not a CA. Chain validation is the TLS layer's job (the server's trust store); this class
 * never sees a certificate that did not pass it.
 */
public final class X509Svid {
    private static final int SAN_URI = 6;
    private static final int KEY_USAGE_DIGITAL_SIGNATURE = 0;
    private static final int KEY_USAGE_KEY_CERT_SIGN = 5;
    private static final int KEY_USAGE_CRL_SIGN = 6;

    private X509Svid() {
    }

    /**
     * The SPIFFE ID the certificate carries.
     *
     * @throws IllegalArgumentException with a reason safe to return to the caller when the certificate
     *     is not an X.509-SVID
     */
    public static SpiffeId spiffeId(X509Certificate leaf) {
        if (leaf.getBasicConstraints() != -1) {
            throw new IllegalArgumentException("the client certificate is a CA certificate, not an X.509-SVID");
        }
        boolean[] usage = leaf.getKeyUsage();
        if (usage != null && (!usage[KEY_USAGE_DIGITAL_SIGNATURE] || usage[KEY_USAGE_KEY_CERT_SIGN]
                || usage[KEY_USAGE_CRL_SIGN])) {
            throw new IllegalArgumentException("the client certificate's key usage does not allow an X.509-SVID");
        }
        List<String> uris = uriSans(leaf);
        if (uris.size() != 1) {
            // The specification allows exactly one URI SAN: with two, which one names the workload?
            throw new IllegalArgumentException("the client certificate must carry exactly one URI SAN (a SPIFFE ID), it has "
                    + uris.size());
        }
        return SpiffeId.parse(uris.get(0)).orElseThrow(() -> new IllegalArgumentException(
                "the client certificate's URI SAN is not a SPIFFE ID"));
    }

    private static List<String> uriSans(X509Certificate leaf) {
        Collection<List<?>> sans;
        try {
            sans = leaf.getSubjectAlternativeNames();
        } catch (CertificateParsingException e) {
            throw new IllegalArgumentException("the client certificate's subject alternative names cannot be read");
        }
        List<String> uris = new ArrayList<>();
        if (sans != null) {
            for (List<?> san : sans) {
                if (san.size() >= 2 && Integer.valueOf(SAN_URI).equals(san.get(0)) && san.get(1) instanceof String uri) {
                    uris.add(uri);
                }
            }
        }
        return uris;
    }
}
