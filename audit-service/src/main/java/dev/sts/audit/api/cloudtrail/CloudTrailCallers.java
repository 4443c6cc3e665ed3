package dev.sts.audit.api.cloudtrail;

import dev.sts.kit.auth.CallerIdentity;
import io.vertx.ext.web.RoutingContext;

/** Who sent a CloudTrail request: the authentication seam of {@link CloudTrailEndpoint}. */
public interface CloudTrailCallers {
    /**
     * The caller of the request, from its signature and credentials.
     *
     * @param body the whole (bounded) body, as signed
     * @throws dev.sts.kit.error.StsException with the AWS code when the request is not authenticated
     */
    CallerIdentity authenticate(RoutingContext request, byte[] body, String requestId);
}
