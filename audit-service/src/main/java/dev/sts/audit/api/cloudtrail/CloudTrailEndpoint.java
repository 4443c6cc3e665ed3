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
import dev.sts.kit.error.ErrorCode;
import dev.sts.kit.error.StsException;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.InstantSource;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * CloudTrail's JSON protocol (awsJson1_1) on audit-service's HTTP port: {@code POST /} with
 * {@code X-Amz-Target: com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.<Operation>}, so
 * {@code aws cloudtrail lookup-events --endpoint-url http://<audit-service>} works. LookupEvents is
 * the one operation; any other target is UnknownOperationException.
 *
 * <p>A request is authenticated first, then authorized with the same action and the same
 * {@link Authorizer} as the gRPC LookupEvents ({@code audit:LookupEvents}), and only then is its
 * body parsed, by Jackson with limits, after the body's size was bounded here ({@link #MAX_BODY}).
 */
@ApplicationScoped
public class CloudTrailEndpoint {
    static final String TARGET_PREFIX = "com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.";
    static final String CONTENT_TYPE = "application/x-amz-json-1.1";
    /** A LookupEvents body is well under 4 KiB (one attribute of at most 2,000 characters). */
    static final int MAX_BODY = 16 * 1024;
    private static final Logger LOG = Logger.getLogger(CloudTrailEndpoint.class);

    private final CloudTrailCallers callers;
    private final Authorizer authorizer;
    private final CloudTrailLookup lookup;
    private final InstantSource clock;

    public CloudTrailEndpoint(CloudTrailCallers callers, Authorizer authorizer, AuditLog store, InstantSource clock) {
        this.callers = callers;
        this.authorizer = authorizer;
        this.lookup = new CloudTrailLookup(store);
        this.clock = clock;
    }

    void route(@Observes Router router) {
        router.post("/")
                // Bounded before anything reads it: a larger body fails the route with 413.
                .handler(BodyHandler.create(false).setBodyLimit(MAX_BODY))
                .blockingHandler(this::handle, false)
                .failureHandler(this::failed);
    }

    private void handle(RoutingContext ctx) {
        String requestId = UUID.randomUUID().toString();
        try {
            byte[] body = ctx.body().buffer() == null ? new byte[0] : ctx.body().buffer().getBytes();
            CallerIdentity caller = callers.authenticate(ctx, body, requestId);
            String target = ctx.request().getHeader("X-Amz-Target");
            if (target == null || !target.equals(TARGET_PREFIX + "LookupEvents")) {
                throw new StsException(CloudTrailErrors.UNKNOWN_OPERATION, "Unknown operation "
                        + (target == null ? "(no X-Amz-Target)" : "'" + bounded(target) + "'") + ".");
            }
            authorizer.require(caller, "audit:LookupEvents", "*");
            reply(ctx, requestId, 200, lookupEvents(body));
        } catch (StsException e) {
            error(ctx, requestId, e);
        } catch (AuditStoreException e) {
            error(ctx, requestId, StsException.unavailable("the audit store is unavailable", e));
        } catch (RuntimeException e) {
            LOG.errorf(e, "CloudTrail request %s failed", requestId);
            error(ctx, requestId, new StsException(ErrorCode.INTERNAL_FAILURE, "internal error"));
        }
    }

    private String lookupEvents(byte[] body) throws StsException {
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

    private void failed(RoutingContext ctx) {
        String requestId = UUID.randomUUID().toString();
        if (ctx.statusCode() == 413) {
            error(ctx, requestId, new StsException(CloudTrailErrors.TOO_LARGE,
                    "The request body is larger than " + MAX_BODY + " bytes."));
        } else {
            if (ctx.failure() != null) {
                LOG.errorf(ctx.failure(), "CloudTrail request %s failed", requestId);
            }
            error(ctx, requestId, new StsException(ErrorCode.INTERNAL_FAILURE, "internal error"));
        }
    }

    private static void error(RoutingContext ctx, String requestId, StsException e) {
        // Messages are the catalogue's caller-safe text; internals stay in the log.
        reply(ctx, requestId, CloudTrailErrors.status(e.code()),
                CloudTrailErrors.body(CloudTrailErrors.type(e), e.getMessage()));
    }

    private static void reply(RoutingContext ctx, String requestId, int status, String json) {
        if (ctx.response().ended()) {
            return;
        }
        ctx.response().setStatusCode(status)
                .putHeader(HttpHeaders.CONTENT_TYPE, CONTENT_TYPE)
                .putHeader("x-amzn-RequestId", requestId)
                .end(json);
    }

    /** A caller's header, cut before it is echoed in a message. */
    private static String bounded(String s) {
        return s.length() > 128 ? s.substring(0, 128) + "..." : s;
    }
}
