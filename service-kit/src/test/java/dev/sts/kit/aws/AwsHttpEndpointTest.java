package dev.sts.kit.aws;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sts.kit.error.ErrorCode;
import dev.sts.kit.error.StsException;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.Router;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** POST / on a Vert.x router: bounded bodies, the handler's answer, and errors in the protocol's shape. */
class AwsHttpEndpointTest {
    private static final String NS = "https://sts.amazonaws.com/doc/2011-06-15/";
    private static Vertx vertx;
    private static HttpServer server;
    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        vertx = Vertx.vertx();
        Router router = Router.router(vertx);
        AwsHttpEndpoint.mount(router, 1024, AwsErrorFormat.query(NS), request -> {
            AwsQueryForm form = AwsQueryForm.parse(request);
            return switch (form.action()) {
                case "Echo" -> Uni.createFrom().item(AwsResponse.xml(200, AwsQueryXml.response("Echo", NS,
                        request.requestId(), r -> r.text("Value", form.required("Value")))));
                case "Deny" -> Uni.createFrom().failure(StsException.accessDenied("no"));
                case "Crash" -> throw new IllegalStateException("secret internals");
                default -> throw new StsException(ErrorCode.INVALID_ACTION, "Could not find operation " + form.action());
            };
        });
        server = vertx.createHttpServer().requestHandler(router).listen(0).toCompletionStage().toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
    }

    @AfterAll
    static void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private static HttpResponse<String> post(HttpRequest.BodyPublisher body) throws Exception {
        return CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.actualPort() + "/"))
                .header("Content-Type", "application/x-www-form-urlencoded").POST(body).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void answersWithTheHandlersDocument() throws Exception {
        HttpResponse<String> r = post(HttpRequest.BodyPublishers.ofString("Action=Echo&Value=a%26b"));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type")).contains("text/xml");
        String id = r.headers().firstValue("x-amzn-RequestId").orElseThrow();
        assertThat(r.body()).contains("<Value>a&amp;b</Value>", "<RequestId>" + id + "</RequestId>");
    }

    @Test
    void errorsInTheProtocolsShape() throws Exception {
        HttpResponse<String> denied = post(HttpRequest.BodyPublishers.ofString("Action=Deny"));
        assertThat(denied.statusCode()).isEqualTo(403);
        assertThat(denied.body()).contains("<Code>AccessDenied</Code>");
        HttpResponse<String> unknown = post(HttpRequest.BodyPublishers.ofString("Action=Nope"));
        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(unknown.body()).contains("<Code>InvalidAction</Code>");
        HttpResponse<String> missing = post(HttpRequest.BodyPublishers.ofString("Action=Echo"));
        assertThat(missing.body()).contains("<Code>MissingParameter</Code>");
        HttpResponse<String> crash = post(HttpRequest.BodyPublishers.ofString("Action=Crash"));
        assertThat(crash.statusCode()).isEqualTo(500);
        assertThat(crash.body()).contains("<Code>InternalFailure</Code>").doesNotContain("secret internals");
    }

    @Test
    void oversizedBodiesAreRefusedBeforeTheyAreParsed() throws Exception {
        String big = "Action=Echo&Value=" + "x".repeat(2000);
        HttpResponse<String> declared = post(HttpRequest.BodyPublishers.ofString(big));
        assertThat(declared.statusCode()).isEqualTo(413);
        assertThat(declared.body()).contains("<Code>RequestEntityTooLarge</Code>");
        // Chunked: no Content-Length, so the limit is enforced while the body arrives.
        HttpResponse<String> chunked = post(HttpRequest.BodyPublishers.ofInputStream(
                () -> new ByteArrayInputStream(big.getBytes())));
        assertThat(chunked.statusCode()).isEqualTo(413);
        assertThat(chunked.body()).contains("<Code>RequestEntityTooLarge</Code>");
        HttpResponse<String> exact = post(HttpRequest.BodyPublishers.ofString(
                "Action=Echo&Value=" + "y".repeat(1024 - 18)));
        assertThat(exact.statusCode()).isEqualTo(200);
    }

    /**
     * HTTP/2 forbids connection-specific headers (RFC 9113 section 8.2.2), and a strict client
     * (Java 25's HttpClient) rejects the whole response that carries one: the refusal of an
     * oversized body said "connection: close" over HTTP/2 too.
     */
    @Test
    void anOversizedBodyOverHttp2IsRefusedWithoutAConnectionHeader() throws Exception {
        io.vertx.core.http.HttpClient h2 = vertx.createHttpClient(new HttpClientOptions()
                .setProtocolVersion(HttpVersion.HTTP_2).setHttp2ClearTextUpgrade(false));
        try {
            HttpClientResponse r = h2.request(HttpMethod.POST, server.actualPort(), "127.0.0.1", "/")
                    .compose(req -> req.putHeader("content-type", "application/x-www-form-urlencoded")
                            .send(Buffer.buffer("Action=Echo&Value=" + "x".repeat(2000))))
                    .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            assertThat(r.version()).isEqualTo(HttpVersion.HTTP_2);
            assertThat(r.statusCode()).isEqualTo(413);
            assertThat(r.headers().names()).doesNotContain("connection");
        } finally {
            h2.close();
        }
    }
}
