package dev.sts.kit.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SpiffeIdentityTest {
    static final String TOKEN_SERVICE = "spiffe://cluster.local/ns/sts/sa/token-service";
    static final SpiffePrincipals MAPPING = SpiffePrincipals.parse(List.of(TOKEN_SERVICE + "=token-service.sts.internal"));

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"spiffe://cluster.local/ns/sts/sa/token-service", "spiffe://example.org",
            "spiffe://a-b_c.d/x/Y.z/_-"})
    void validIdsParse(String id) {
        assertThat(SpiffeId.parse(id)).map(SpiffeId::toString).contains(id);
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://cluster.local/ns/sts", "spiffe://Cluster.local/x", "spiffe://cluster.local:8443/x",
            "spiffe://user@cluster.local/x", "spiffe://cluster.local/x/", "spiffe://cluster.local//x",
            "spiffe://cluster.local/./x", "spiffe://cluster.local/a/../b", "spiffe://cluster.local/x?y=1",
            "spiffe://cluster.local/x#f", "spiffe:///x", "SPIFFE://cluster.local/x", "spiffe://cluster.local/a%20b"})
    void malformedIdsAreRejected(String id) {
        assertThat(SpiffeId.parse(id)).isEmpty();
    }

    @Test
    void aCertificateWithOneMappedSpiffeIdIsThatPrincipal() throws Exception {
        TestPki pki = TestPki.ca("sts test CA");
        X509Certificate leaf = load(pki.client(dir, "token-service", TOKEN_SERVICE).cert());

        assertThat(X509Svid.spiffeId(leaf).toString()).isEqualTo(TOKEN_SERVICE);
        assertThat(PeerIdentityInterceptor.identify(leaf, MAPPING)).isEqualTo(PeerIdentity.of("token-service.sts.internal"));
    }

    @Test
    void certificatesThatAreNotMappedSvidsIdentifyNobody() throws Exception {
        TestPki pki = TestPki.ca("sts test CA");
        assertRejected(load(pki.client(dir, "unmapped", "spiffe://cluster.local/ns/other/sa/x").cert()),
                "is not mapped to a principal");
        assertRejected(load(pki.client(dir, "no-san").cert()), "exactly one URI SAN");
        assertRejected(load(pki.client(dir, "two", TOKEN_SERVICE, "spiffe://cluster.local/ns/other/sa/x").cert()),
                "exactly one URI SAN");
        assertRejected(load(pki.client(dir, "https-uri", "https://cluster.local/ns/sts/sa/token-service").cert()),
                "not a SPIFFE ID");
        assertRejected(load(pki.writeCa(dir.resolve("ca.crt"))), "CA certificate");
    }

    @Test
    void theMappingIsCheckedAtStartUp() {
        assertThatThrownBy(() -> SpiffePrincipals.parse(List.of("token-service.sts.internal")))
                .hasMessageContaining("expected <spiffe-id>=<principal>");
        assertThatThrownBy(() -> SpiffePrincipals.parse(List.of("spiffe://Cluster.local/x=p")))
                .hasMessageContaining("is not a SPIFFE ID");
        assertThatThrownBy(() -> SpiffePrincipals.parse(List.of(TOKEN_SERVICE + "=")))
                .hasMessageContaining("no principal");
        assertThatThrownBy(() -> SpiffePrincipals.parse(List.of(TOKEN_SERVICE + "=a", TOKEN_SERVICE + "=b")))
                .hasMessageContaining("listed twice");
    }

    private static void assertRejected(X509Certificate leaf, String reason) {
        PeerIdentity peer = PeerIdentityInterceptor.identify(leaf, MAPPING);
        assertThat(peer.principal()).isNull();
        assertThat(peer.rejection()).contains(reason);
    }

    static X509Certificate load(Path pem) throws Exception {
        try (InputStream in = Files.newInputStream(pem)) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }
}
