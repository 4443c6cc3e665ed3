package dev.sts.kit.auth;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import javax.net.ssl.SSLContext;

/**
 * Fetches a JWK set document over HTTP(S) with a connect timeout, a timeout for the whole
 * response and a cap on its size, so a slow or hostile endpoint can neither hold a request thread
 * for long nor fill the heap.
 */
public interface JwksFetcher {
    /** The document's text, or an {@link IOException} naming what went wrong (never a credential). */
    String fetch(URI url) throws IOException;

    static JwksFetcher http(Duration connectTimeout, Duration readTimeout, int maxBytes) {
        return http(connectTimeout, readTimeout, maxBytes, Optional.empty());
    }

    /** As above, trusting {@code trust} for https URLs (the JVM's default trust store when empty). */
    static JwksFetcher http(Duration connectTimeout, Duration readTimeout, int maxBytes, Optional<SSLContext> trust) {
        HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER);
        trust.ifPresent(builder::sslContext);
        HttpClient client = builder.build();
        return url -> {
            HttpRequest request = HttpRequest.newBuilder(url).timeout(readTimeout)
                    .header("Accept", "application/json").GET().build();
            HttpResponse<InputStream> response;
            try {
                response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while fetching the JWK set", e);
            }
            try (InputStream body = response.body()) {
                if (response.statusCode() != 200) {
                    throw new IOException("HTTP " + response.statusCode());
                }
                byte[] bytes = body.readNBytes(maxBytes + 1);
                if (bytes.length > maxBytes) {
                    throw new IOException("the JWK set is larger than " + maxBytes + " bytes");
                }
                return new String(bytes, StandardCharsets.UTF_8);
            }
        };
    }
}
