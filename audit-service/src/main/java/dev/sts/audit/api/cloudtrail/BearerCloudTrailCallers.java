package dev.sts.audit.api.cloudtrail;

import dev.sts.kit.auth.Authenticator;
import dev.sts.kit.auth.CallerIdentity;
import dev.sts.kit.error.ErrorCode;
import dev.sts.kit.error.StsException;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;

/** Interim: the caller of a CloudTrail request by the kit's bearer credential, until SigV4 is wired. */
@ApplicationScoped
public class BearerCloudTrailCallers implements CloudTrailCallers {
    private final Authenticator authenticator;

    public BearerCloudTrailCallers(Authenticator authenticator) {
        this.authenticator = authenticator;
    }

    @Override
    public CallerIdentity authenticate(RoutingContext request, byte[] body, String requestId) {
        String h = request.request().getHeader("Authorization");
        if (h == null || !h.startsWith("Bearer ")) {
            throw new StsException(ErrorCode.MISSING_AUTHENTICATION_TOKEN, "Request is missing Authentication Token");
        }
        return authenticator.authenticate(h.substring("Bearer ".length()));
    }
}
