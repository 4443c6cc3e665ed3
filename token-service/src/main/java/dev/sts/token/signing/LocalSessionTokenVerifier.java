package dev.sts.token.signing;

import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import dev.sts.kit.auth.SessionClaims;
import dev.sts.kit.auth.SessionTokenProcessor;
import dev.sts.kit.auth.SessionTokenVerifier;
import dev.sts.kit.config.StsConfig;
import dev.sts.token.config.TokenConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.InstantSource;

/** token-service verifies session tokens against its own key set, with the checks every service applies. */
@ApplicationScoped
public class LocalSessionTokenVerifier implements SessionTokenVerifier {
    private final SessionTokenProcessor processor;

    public LocalSessionTokenVerifier(KeyManager keys, StsConfig sts, TokenConfig config, InstantSource clock) {
        JWKSource<SecurityContext> source = (JWKSelector selector, SecurityContext ctx) -> select(keys, selector);
        this.processor = new SessionTokenProcessor(source, sts.auth().audience(), config.issuer(), sts.auth().clockSkew(),
                sts.auth().verifiedTokenCacheSize(), clock);
    }

    private static java.util.List<com.nimbusds.jose.jwk.JWK> select(KeyManager keys, JWKSelector selector) throws KeySourceException {
        var found = selector.select(keys.publicKeys());
        if (found.isEmpty()) {
            // Another replica may have rotated: reload once before refusing the token.
            keys.refreshIfStale();
            found = selector.select(keys.publicKeys());
        }
        return found;
    }

    @Override
    public SessionClaims verify(String sessionToken) {
        return processor.process(sessionToken);
    }
}
