package dev.sts.kit.tls;

import dev.sts.kit.error.ErrorCode;
import dev.sts.kit.error.StsException;
import io.grpc.Context;
import java.util.Optional;

/**
 * What the verified client certificate of the current gRPC call says about the caller: the principal
 * its SPIFFE ID is mapped to, or why it identifies nobody. Set by {@link PeerIdentityInterceptor};
 * absent on plaintext calls and TLS calls without a client certificate.
 *
 * @param principal the mapped principal, or {@code null} when the certificate was rejected
 * @param rejection why the certificate identifies nobody (safe to return to the caller), or {@code null}
 */
public record PeerIdentity(String principal, String rejection) {
    static final Context.Key<PeerIdentity> KEY = Context.key("sts-peer-identity");

    static PeerIdentity of(String principal) {
        return new PeerIdentity(principal, null);
    }

    static PeerIdentity rejected(String reason) {
        return new PeerIdentity(null, reason);
    }

    /**
     * The principal of the current call's client certificate; empty when the call presented none.
     *
     * @throws StsException {@code InvalidClientTokenId} when it presented one that maps to no principal:
     *     a certificate is a credential, and a credential that identifies nobody is refused, not ignored
     */
    public static Optional<String> currentPrincipal() {
        PeerIdentity peer = KEY.get();
        if (peer == null) {
            return Optional.empty();
        }
        if (peer.principal == null) {
            throw new StsException(ErrorCode.INVALID_CLIENT_TOKEN_ID, peer.rejection);
        }
        return Optional.of(peer.principal);
    }
}
