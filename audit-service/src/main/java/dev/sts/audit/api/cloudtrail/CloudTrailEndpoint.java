package dev.sts.audit.api.cloudtrail;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sts.audit.domain.AuditLog;
import dev.sts.audit.domain.AuditStoreException;
import dev.sts.audit.domain.CloudTrailLookup;
import dev.sts.audit.domain.StoredRecord;
import dev.sts.kit.auth.Authorizer;
import dev.sts.kit.auth.CallerIdentity;
import dev.sts.kit.aws.AwsConfig;
import dev.sts.kit.aws.AwsHttpEndpoint;
import dev.sts.kit.aws.AwsHttpRequest;
import dev.sts.kit.aws.AwsRequestAuthenticator;
import dev.sts.kit.aws.AwsResponse;
import dev.sts.kit.error.ErrorCode;
import dev.sts.kit.error.StsException;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.charset.StandardCharsets;
import java.time.InstantSource;

/**
 * CloudTrail's JSON protocol (awsJson1_1) on audit-service's HTTP port: {@code POST /} with
 * {@code X-Amz-Target: com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.<Operation>}, so
 * {@code aws cloudtrail lookup-events --endpoint-url http://<audit-service>} works. LookupEvents is
 * the one operation; any other target is UnknownOperationException (docs/adr/025).
 *
 * <p>The kit's {@link AwsHttpEndpoint} bounds the body ({@link #MAX_BODY}) while it arrives. Then
 * the request is authenticated (SigV4, service "cloudtrail"), its target checked, the caller
 * authorized with the same action and the same {@link Authorizer} as the gRPC LookupEvents
 * ({@code audit:LookupEvents} on {@code *}), and only then is the body parsed.
 */
@ApplicationScoped
public class CloudTrailEndpoint {
    static final String TARGET_PREFIX = "com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.";
    /** CloudTrail's SigV4 signing name. */
    static final String SERVICE = "cloudtrail";
    /** A LookupEvents body is well under 4 KiB (one attribute of at most 2,000 characters). */
    static final int MAX_BODY = 16 * 1024;

    private final AwsRequestAuthenticator authenticator;
    private final Authorizer authorizer;
    private final CloudTrailLookup lookup;
    private final InstantSource clock;

    public CloudTrailEndpoint(AwsRequestAuthenticator authenticator, Authorizer authorizer, AuditLog store,
            InstantSource clock) {
        this.authenticator = authenticator;
        this.authorizer = authorizer;
        this.lookup = new CloudTrailLookup(store);
        this.clock = clock;
    }

    void mount(@Observes Router router, AwsConfig aws) {
        AwsHttpEndpoint.mount(router, Math.min(MAX_BODY, aws.maxRequestBytes()), CloudTrailErrors.FORMAT, this::handle);
    }

    Uni<AwsResponse> handle(AwsHttpRequest request) {
        return Uni.createFrom().item(() -> {
            CallerIdentity caller = authenticator.authenticate(request, SERVICE);
            String target = request.header("X-Amz-Target").orElse(null);
            if (target == null || !target.equals(TARGET_PREFIX + "LookupEvents")) {
                throw new StsException(ErrorCode.UNKNOWN_OPERATION, "Unknown operation "
                        + (target == null ? "(no X-Amz-Target)" : "'" + bounded(target) + "'") + ".");
            }
            // The HTTP request's context, not the (absent) gRPC one: aws:SecureTransport, SourceIp.
            authorizer.require(caller, "audit:LookupEvents", "*", request.requestContext());
            try {
                return AwsResponse.json(200, lookupEvents(request.body()));
            } catch (AuditStoreException e) {
                throw StsException.unavailable("the audit store is unavailable", e);
            }
        });
    }

    private String lookupEvents(byte[] body) {
        LookupEventsInput in = LookupEventsInput.parse(body, clock.instant());
        ObjectNode out = CloudTrailEvents.JSON.createObjectNode();
        ArrayNode events = out.putArray("Events");
        if (in.request() != null) {
            CloudTrailLookup.Page page = lookup.lookup(in.request());
            for (StoredRecord r : page.records()) {
                events.add(CloudTrailEvents.event(r.record()));
            }
            if (page.next() != null) {
                out.put("NextToken", in.nextToken(page.next()));
            }
        }
        try {
            return CloudTrailEvents.JSON.writeValueAsString(out);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a tree of strings and numbers always serializes", e);
        }
    }

    /** A caller's header, cut before it is echoed in a message. */
    private static String bounded(String s) {
        return s.length() > 128 ? s.substring(0, 128) + "..." : s;
    }
}
