package dev.sts.kit.testing;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * The application under test of a {@code @QuarkusTest}, reached the way a client reaches it: Quarkus
 * listens on a free port in tests ({@code quarkus.http.test-port=0}) and publishes the port it got
 * under that same key once the application has started. Shared with the services' tests through
 * service-kit's test-jar.
 */
public final class TestChannels {
    private TestChannels() {
    }

    /** The port the application under test listens on (gRPC and HTTP share it). */
    public static int port() {
        return ConfigProvider.getConfig().getValue("quarkus.http.test-port", Integer.class);
    }

    /** A plaintext gRPC channel to the application under test; the caller shuts it down. */
    public static ManagedChannel toApplication() {
        return ManagedChannelBuilder.forAddress("127.0.0.1", port()).usePlaintext().build();
    }
}
