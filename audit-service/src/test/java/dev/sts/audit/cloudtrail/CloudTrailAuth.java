package dev.sts.audit.cloudtrail;

import java.net.http.HttpRequest;

/** How the tests authenticate a raw CloudTrail request. */
final class CloudTrailAuth {
    private CloudTrailAuth() {
    }

    /** Adds the bootstrap administrator's credential to a request with this body. */
    static void authenticate(HttpRequest.Builder request, byte[] body) {
        request.header("Authorization", "Bearer test-admin-token");
    }
}
