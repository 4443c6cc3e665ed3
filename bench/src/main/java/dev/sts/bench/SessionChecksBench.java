package dev.sts.bench;

import dev.sts.proto.v1.AssumeRoleRequest;
import dev.sts.proto.v1.AuthorizeRequest;
import dev.sts.proto.v1.Decision;
import dev.sts.proto.v1.PutRolePolicyRequest;
import dev.sts.proto.v1.RoleServiceGrpc;
import dev.sts.proto.v1.TokenServiceGrpc;
import dev.sts.proto.v1.ValidateSessionTokenRequest;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * ValidateSessionToken and Authorize for one warm session token: the checks an internal service
 * makes on every request it serves. {@code prepare-session} gives the benchmark role an inline
 * policy (s3:GetObject on one bucket), assumes it once for a token, waits until Authorize answers
 * Allow for it (the permission view holds the policy), and writes the two gRPC-framed bodies h2load
 * sends; {@code check-session} sends them with grpc-java and counts what the gRPC status and the
 * decision were, which h2load cannot see.
 */
final class SessionChecksBench {
    static final String VALIDATE_BODY = "validate-session-token.bin";
    static final String AUTHORIZE_BODY = "authorize.bin";

    private SessionChecksBench() {
    }

    @Command(name = "prepare-session", description = "Get a warm session token of the benchmark role; write the "
            + "ValidateSessionToken and Authorize bodies.")
    static final class Prepare implements Callable<Integer> {
        @Option(names = "--roles", required = true, description = "role-service host:port")
        String roles;
        @Option(names = "--tokens", required = true, description = "token-service host:port")
        String tokens;
        @Option(names = "--admin-token", required = true, description = "file with the bearer token that may put role policies")
        Path adminToken;
        @Option(names = "--caller-token", required = true, description = "file with the bearer token that may assume the role")
        Path callerToken;
        @Option(names = "--account", defaultValue = "000000000000")
        String account;
        @Option(names = "--role-name", defaultValue = "BenchRole")
        String roleName;
        @Option(names = "--bucket", defaultValue = "bench-bucket")
        String bucket;
        @Option(names = "--duration-seconds", defaultValue = "3600", description = "lifetime of the warm token")
        int durationSeconds;
        @Option(names = "--out", required = true)
        Path out;
        @Option(names = "--wait", defaultValue = "PT60S", description = "how long to wait for Authorize to answer Allow")
        Duration wait;

        @Override
        public Integer call() throws Exception {
            String roleArn = "arn:aws:iam::" + account + ":role/" + roleName;
            String policy = """
                    {"Version":"2012-10-17","Statement":[{"Sid":"BenchRead","Effect":"Allow",\
                    "Action":"s3:GetObject","Resource":"arn:aws:s3:::%s/*"}]}""".formatted(bucket);
            ManagedChannel roleChannel = GrpcFrames.channel(roles);
            ManagedChannel tokenChannel = GrpcFrames.channel(tokens);
            try {
                GrpcFrames.withBearer(RoleServiceGrpc.newBlockingStub(roleChannel), GrpcFrames.token(adminToken))
                        .withDeadlineAfter(10, TimeUnit.SECONDS).putRolePolicy(PutRolePolicyRequest.newBuilder()
                                .setRoleName(roleName).setPolicyName("BenchRead").setPolicyDocument(policy).build());
                String token = GrpcFrames.withBearer(TokenServiceGrpc.newBlockingStub(tokenChannel), GrpcFrames.token(callerToken))
                        .withDeadlineAfter(10, TimeUnit.SECONDS).assumeRole(AssumeRoleRequest.newBuilder().setRoleArn(roleArn)
                                .setRoleSessionName("bench-warm").setDurationSeconds(durationSeconds).build())
                        .getCredentials().getSessionToken();
                ValidateSessionTokenRequest validate = ValidateSessionTokenRequest.newBuilder().setSessionToken(token).build();
                AuthorizeRequest authorize = AuthorizeRequest.newBuilder().setSessionToken(token).setAction("s3:GetObject")
                        .setResource("arn:aws:s3:::" + bucket + "/reports/2026.csv").build();
                var admin = GrpcFrames.withBearer(TokenServiceGrpc.newBlockingStub(tokenChannel), GrpcFrames.token(adminToken));
                Instant deadline = Instant.now().plus(wait);
                Decision decision = Decision.DECISION_UNSPECIFIED;
                while (decision != Decision.DECISION_ALLOW) {
                    try {
                        decision = admin.withDeadlineAfter(10, TimeUnit.SECONDS).authorize(authorize).getDecision();
                    } catch (StatusRuntimeException e) {
                        decision = Decision.DECISION_UNSPECIFIED;
                        if (Instant.now().isAfter(deadline)) {
                            System.err.println("Authorize fails: " + e.getStatus());
                            return 1;
                        }
                    }
                    if (decision != Decision.DECISION_ALLOW && Instant.now().isAfter(deadline)) {
                        System.err.println("Authorize still answers " + decision + " after " + wait);
                        return 1;
                    }
                    if (decision != Decision.DECISION_ALLOW) {
                        Thread.sleep(250);
                    }
                }
                admin.withDeadlineAfter(10, TimeUnit.SECONDS).validateSessionToken(validate);
                String alg = new String(java.util.Base64.getUrlDecoder().decode(token.substring(0, token.indexOf('.'))),
                        java.nio.charset.StandardCharsets.UTF_8).replaceAll(".*\"alg\":\"([^\"]*)\".*", "$1");
                System.out.println("warm token of " + roleArn + " (" + alg + ", " + durationSeconds + " s): Authorize s3:GetObject "
                        + "answers Allow, ValidateSessionToken OK; caller: the admin credential");
                GrpcFrames.write(out.resolve(VALIDATE_BODY), validate);
                GrpcFrames.write(out.resolve(AUTHORIZE_BODY), authorize);
                return 0;
            } finally {
                roleChannel.shutdownNow();
                tokenChannel.shutdownNow();
            }
        }
    }

    @Command(name = "check-session", description = "Send the ValidateSessionToken and Authorize bodies N times each "
            + "with grpc-java; print gRPC statuses and decisions.")
    static final class Check implements Callable<Integer> {
        @Option(names = "--tokens", required = true)
        String tokens;
        @Option(names = "--caller-token", required = true)
        Path callerToken;
        @Option(names = "--out", required = true, description = "where prepare-session wrote the bodies")
        Path out;
        @Option(names = "--calls", defaultValue = "200")
        int calls;

        @Override
        public Integer call() throws Exception {
            ValidateSessionTokenRequest validate = ValidateSessionTokenRequest.parseFrom(unframe(out.resolve(VALIDATE_BODY)));
            AuthorizeRequest authorize = AuthorizeRequest.parseFrom(unframe(out.resolve(AUTHORIZE_BODY)));
            ManagedChannel channel = GrpcFrames.channel(tokens);
            try {
                var stub = GrpcFrames.withBearer(TokenServiceGrpc.newBlockingStub(channel), GrpcFrames.token(callerToken));
                Map<Status.Code, Integer> validated = new EnumMap<>(Status.Code.class);
                Map<Decision, Integer> decided = new EnumMap<>(Decision.class);
                Map<Status.Code, Integer> authorizeErrors = new EnumMap<>(Status.Code.class);
                for (int i = 0; i < calls; i++) {
                    try {
                        stub.withDeadlineAfter(10, TimeUnit.SECONDS).validateSessionToken(validate);
                        validated.merge(Status.Code.OK, 1, Integer::sum);
                    } catch (StatusRuntimeException e) {
                        validated.merge(e.getStatus().getCode(), 1, Integer::sum);
                    }
                    try {
                        decided.merge(stub.withDeadlineAfter(10, TimeUnit.SECONDS).authorize(authorize).getDecision(), 1,
                                Integer::sum);
                    } catch (StatusRuntimeException e) {
                        authorizeErrors.merge(e.getStatus().getCode(), 1, Integer::sum);
                    }
                }
                System.out.printf("grpc-java check: ValidateSessionToken %s; Authorize decisions %s, errors %s (of %d each)%n",
                        validated, decided, authorizeErrors, calls);
                return validated.getOrDefault(Status.Code.OK, 0) == calls
                        && decided.getOrDefault(Decision.DECISION_ALLOW, 0) == calls ? 0 : 1;
            } finally {
                channel.shutdownNow();
            }
        }

        private static byte[] unframe(Path file) throws java.io.IOException {
            byte[] framed = Files.readAllBytes(file);
            return Arrays.copyOfRange(framed, 5, framed.length);
        }
    }
}
