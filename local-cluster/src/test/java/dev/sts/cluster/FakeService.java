package dev.sts.cluster;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

import com.sun.net.httpserver.HttpServer;

/**
 * Stands in for a Quarkus service in launcher tests: packaged alone as a
 * {@code quarkus-run.jar}, it logs the environment the launcher gave it and answers
 * {@code /q/health/ready}. With {@code FAKE_FAIL=1} it exits at once.
 */
public final class FakeService {
    private FakeService() {
    }

    public static void main(String[] args) throws IOException {
        Map<String, String> env = new TreeMap<>(System.getenv());
        env.forEach((k, v) -> {
            if (k.startsWith("STS_") || k.startsWith("QUARKUS_") || k.startsWith("KAFKA_")) {
                String shown = k.endsWith("KEY_ENCRYPTION_KEY") ? "<" + v.length() + " chars>" : v;
                System.out.println("env " + k + "=" + shown);
            }
        });
        if ("1".equals(env.get("FAKE_FAIL"))) {
            System.out.println("fake failure: cannot connect to nothing");
            System.exit(3);
        }
        String creds = env.get("STS_AUTH_STATIC_CREDENTIALS_FILE");
        long lines = Files.readAllLines(Path.of(creds)).stream().filter(l -> !l.startsWith("#")).count();
        System.out.println("static credentials: " + lines);
        int port = Integer.parseInt(env.get("QUARKUS_HTTP_PORT"));
        HttpServer server = HttpServer.create(new InetSocketAddress(env.get("QUARKUS_HTTP_HOST"), port), 0);
        server.createContext("/q/health/ready", ex -> {
            byte[] body = "{\"status\":\"UP\"}".getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, body.length);
            try (OutputStream o = ex.getResponseBody()) {
                o.write(body);
            }
        });
        server.start();
        System.out.println("fake service listening on " + port);
    }
}
