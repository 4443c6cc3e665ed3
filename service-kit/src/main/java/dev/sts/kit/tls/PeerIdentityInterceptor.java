package dev.sts.kit.tls;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.quarkus.grpc.GlobalInterceptor;
import io.quarkus.tls.TlsConfiguration;
import io.quarkus.tls.TlsConfigurationRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Optional;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;

/**
 * Reads the client certificate of a gRPC call served over TLS (the Vert.x HTTP server hands grpc-java
 * the connection's {@link SSLSession} as {@link Grpc#TRANSPORT_ATTR_SSL_SESSION}) and records what it
 * identifies as a {@link PeerIdentity} for the {@code Authenticator}.
 *
 * <p>Only certificates the TLS handshake verified are read: {@link SSLSession#getPeerCertificates()}
 * returns nothing else. And only when the server's TLS configuration names its own trust store: without
 * one the TLS layer would fall back to the JVM's public CAs, and a certificate from any public CA must not
 * become a caller.
 */
@ApplicationScoped
@GlobalInterceptor
public class PeerIdentityInterceptor implements ServerInterceptor {
    private static final Logger LOG = Logger.getLogger(PeerIdentityInterceptor.class);
    private final SpiffePrincipals principals;
    private final boolean clientCertificatesVerified;

    public PeerIdentityInterceptor(TlsConfig config, TlsConfigurationRegistry registry) {
        this.principals = config.spiffePrincipals().map(SpiffePrincipals::parse).orElse(SpiffePrincipals.empty());
        this.clientCertificatesVerified = serverTlsConfiguration(registry)
                .map(tls -> tls.getTrustStoreOptions() != null).orElse(false);
        if (!principals.isEmpty() && !clientCertificatesVerified) {
            LOG.warn("sts.tls.spiffe-principals is set but the server has no TLS trust store for client certificates"
                    + " (quarkus.tls.trust-store.*): client certificates identify no caller");
        }
    }

    /** The TLS configuration the HTTP (and so gRPC) server uses: the named one, else the default. */
    private static Optional<TlsConfiguration> serverTlsConfiguration(TlsConfigurationRegistry registry) {
        Optional<String> name = ConfigProvider.getConfig().getOptionalValue("quarkus.http.tls-configuration-name",
                String.class);
        return name.isPresent() ? registry.get(name.get()) : registry.getDefault();
    }

    @Override
    public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(ServerCall<ReqT, RespT> call, Metadata headers,
            ServerCallHandler<ReqT, RespT> next) {
        PeerIdentity peer = identify(call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION));
        if (peer == null) {
            return next.startCall(call, headers);
        }
        return Contexts.interceptCall(Context.current().withValue(PeerIdentity.KEY, peer), call, headers, next);
    }

    /** {@code null} when the call carries no verified client certificate. */
    PeerIdentity identify(SSLSession session) {
        if (session == null) {
            return null;
        }
        Certificate[] chain;
        try {
            chain = session.getPeerCertificates();
        } catch (SSLPeerUnverifiedException e) {
            return null;
        }
        if (chain.length == 0 || !(chain[0] instanceof X509Certificate leaf)) {
            return null;
        }
        if (!clientCertificatesVerified) {
            return PeerIdentity.rejected("this service does not accept client certificates as credentials");
        }
        return identify(leaf, principals);
    }

    static PeerIdentity identify(X509Certificate leaf, SpiffePrincipals principals) {
        SpiffeId id;
        try {
            id = X509Svid.spiffeId(leaf);
        } catch (IllegalArgumentException e) {
            return PeerIdentity.rejected(e.getMessage());
        }
        return principals.principalFor(id).map(PeerIdentity::of)
                .orElseGet(() -> PeerIdentity.rejected("the client certificate's SPIFFE ID " + id
                        + " is not mapped to a principal"));
    }
}
