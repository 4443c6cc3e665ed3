package dev.sts.kit.aws;

import dev.sts.kit.error.ErrorCode;
import dev.sts.kit.error.StsException;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Serves an AWS protocol ({@code POST /}) on a service's existing HTTP port, beside gRPC (whose
 * requests have other paths). The body is bounded while it arrives (a declared
 * {@code Content-Length} above the limit is refused before any byte is read); the handler runs on a
 * worker thread, since verifying, deciding and publishing block; a {@link StsException} becomes the
 * protocol's error document, anything else {@code InternalFailure} with its cause logged once and
 * never sent.
 *
 * <pre>{@code
 * @ApplicationScoped
 * class StsQueryRoute {
 *     void mount(@Observes Router router, AwsConfig aws) {
 *         AwsHttpEndpoint.mount(router, aws.maxRequestBytes(), AwsErrorFormat.query(NAMESPACE), this::handle);
 *     }
 *     Uni<AwsResponse> handle(AwsHttpRequest request) { ... }
 * }
 * }</pre>
 */
public final class AwsHttpEndpoint {
    private static final Logger LOG = Logger.getLogger(AwsHttpEndpoint.class);

    /** Answers one request; may throw or fail with a {@link StsException}. */
    @FunctionalInterface
    public interface Handler {
        Uni<AwsResponse> handle(AwsHttpRequest request);
    }

    private AwsHttpEndpoint() {
    }

    public static void mount(Router router, int maxBodyBytes, AwsErrorFormat errors, Handler handler) {
        router.post("/").handler(rc -> receive(rc, maxBodyBytes, errors, handler));
    }

    /**
     * Serves a Query protocol on {@code POST /} and {@code GET /}: AWS's Query APIs accept their
     * parameters in the query string of a GET as well as in a form body ("Making Query requests",
     * https://docs.aws.amazon.com/AWSEC2/latest/APIReference/Query-Requests.html), and a presigned
     * request (SigV4 in the query string, e.g. a presigned {@code sts:GetCallerIdentity}) is a GET.
     */
    public static void mountQuery(Router router, int maxBodyBytes, AwsErrorFormat errors, Handler handler) {
        mount(router, maxBodyBytes, errors, handler);
        router.get("/").handler(rc -> receive(rc, maxBodyBytes, errors, handler));
    }

    private static void receive(RoutingContext rc, int maxBodyBytes, AwsErrorFormat errors, Handler handler) {
        HttpServerRequest req = rc.request();
        String requestId = UUID.randomUUID().toString();
        String declared = req.getHeader("content-length");
        if (declared != null && !declared.matches("[0-9]{1,18}")) {
            reply(rc, errors.render(new StsException(ErrorCode.MALFORMED_QUERY_STRING,
                    "Content-Length is not a number"), requestId), requestId, true);
            return;
        }
        if (declared != null && Long.parseLong(declared) > maxBodyBytes) {
            reply(rc, errors.render(tooLarge(maxBodyBytes), requestId), requestId, true);
            return;
        }
        Buffer body = Buffer.buffer();
        boolean[] refused = {false};
        req.handler(chunk -> {
            if (refused[0]) {
                return;
            }
            if (body.length() + chunk.length() > maxBodyBytes) {
                refused[0] = true;
                reply(rc, errors.render(tooLarge(maxBodyBytes), requestId), requestId, true);
                return;
            }
            body.appendBuffer(chunk);
        });
        req.exceptionHandler(e -> {
            if (!refused[0]) {
                refused[0] = true;
                LOG.debugf("request %s: body not received: %s", requestId, e.toString());
                if (!rc.response().ended() && !rc.response().closed()) {
                    rc.response().setStatusCode(400).end();
                }
            }
        });
        req.endHandler(v -> {
            if (refused[0]) {
                return;
            }
            // With quarkus.http.proxy.proxy-address-forwarding, Quarkus wraps the request and isSSL()
            // is the scheme a trusted proxy forwarded (quarkus.http.proxy.trusted-proxies); otherwise
            // it is the connection's own TLS. A caller's X-Forwarded-Proto alone never makes it true.
            AwsHttpRequest request = new AwsHttpRequest(req.method().name(), req.path(), req.query(), headers(req),
                    body.getBytes(), requestId, req.remoteAddress() == null ? null : req.remoteAddress().hostAddress(),
                    req.getHeader("user-agent"), req.isSSL());
            Uni.createFrom().deferred(() -> handler.handle(request))
                    .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                    .subscribe().with(
                            response -> reply(rc, response, requestId, false),
                            failure -> reply(rc, errorResponse(failure, errors, requestId), requestId, false));
        });
    }

    /** The response for a failure: its own code when it is an {@link StsException}, else InternalFailure. */
    static AwsResponse errorResponse(Throwable failure, AwsErrorFormat errors, String requestId) {
        if (failure instanceof StsException e) {
            return errors.render(e, requestId);
        }
        LOG.errorf(failure, "request %s failed", requestId);
        return errors.render(new StsException(ErrorCode.INTERNAL_FAILURE, "internal error"), requestId);
    }

    private static List<Map.Entry<String, String>> headers(HttpServerRequest req) {
        List<Map.Entry<String, String>> headers = new ArrayList<>(req.headers().size() + 1);
        boolean host = false;
        for (Map.Entry<String, String> h : req.headers()) {
            headers.add(new AbstractMap.SimpleImmutableEntry<>(h.getKey(), h.getValue()));
            host |= h.getKey().equalsIgnoreCase("host");
        }
        if (!host && req.authority() != null) {
            // HTTP/2 carries the host as :authority, which SigV4 signs as "host".
            headers.add(new AbstractMap.SimpleImmutableEntry<>("host", req.authority().toString()));
        }
        return headers;
    }

    private static StsException tooLarge(int max) {
        return new StsException(ErrorCode.REQUEST_ENTITY_TOO_LARGE,
                "Request body is larger than " + max + " bytes");
    }

    private static void reply(RoutingContext rc, AwsResponse response, String requestId, boolean close) {
        HttpServerResponse out = rc.response();
        if (out.ended() || out.closed()) {
            return;
        }
        out.setStatusCode(response.status())
                .putHeader("content-type", response.contentType())
                .putHeader("x-amzn-RequestId", requestId);
        if (close && rc.request().version() != HttpVersion.HTTP_2) {
            // The rest of an oversized body is not read: the connection ends with the answer. Not
            // over HTTP/2, which forbids connection-specific headers (RFC 9113 section 8.2.2: a
            // client rejects the response) and bounds the unread rest by its flow-control window.
            out.putHeader("connection", "close");
        }
        out.end(Buffer.buffer(response.body()));
    }
}
