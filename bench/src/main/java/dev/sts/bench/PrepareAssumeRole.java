package dev.sts.bench;

import dev.sts.proto.v1.AssumeRoleRequest;
import dev.sts.proto.v1.CreateRoleRequest;
import dev.sts.proto.v1.GetCallerIdentityRequest;
import dev.sts.proto.v1.GetJwksRequest;
import dev.sts.proto.v1.RoleServiceGrpc;
import dev.sts.proto.v1.TokenServiceGrpc;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Creates the role the benchmark assumes (trusted by the caller's service principal) through
 * role-service, waits until token-service issues credentials for it (its permission view has the
 * role), and writes the gRPC-framed bodies h2load sends.
 */
@Command(name = "prepare", description = "Create the benchmark role, wait until AssumeRole succeeds, write request bodies.")
final class PrepareAssumeRole implements Callable<Integer> {
    @Option(names = "--roles", required = true, description = "role-service host:port")
    String roles;
    @Option(names = "--tokens", required = true, description = "token-service host:port")
    String tokens;
    @Option(names = "--admin-token", required = true, description = "file with the bearer token that may create roles")
    Path adminToken;
    @Option(names = "--caller-token", required = true, description = "file with the bearer token of the caller")
    Path callerToken;
    @Option(names = "--trusted-service", defaultValue = "ec2.amazonaws.com", description = "service principal the trust policy names")
    String trustedService;
    @Option(names = "--account", defaultValue = "000000000000")
    String account;
    @Option(names = "--role-name", defaultValue = "BenchRole")
    String roleName;
    @Option(names = "--out", required = true, description = "directory for assume-role.bin, get-caller-identity.bin, get-jwks.bin")
    Path out;
    @Option(names = "--wait", defaultValue = "PT60S", description = "how long to wait for the view to hold the role")
    Duration wait;

    @Override
    public Integer call() throws Exception {
        String trust = """
                {"Version":"2012-10-17","Statement":[{"Sid":"Bench","Effect":"Allow",\
                "Principal":{"Service":"%s"},"Action":"sts:AssumeRole"}]}""".formatted(trustedService);
        String roleArn = "arn:aws:iam::" + account + ":role/" + roleName;
        ManagedChannel roleChannel = GrpcFrames.channel(roles);
        ManagedChannel tokenChannel = GrpcFrames.channel(tokens);
        try {
            var roleStub = GrpcFrames.withBearer(RoleServiceGrpc.newBlockingStub(roleChannel), GrpcFrames.token(adminToken));
            try {
                roleArn = roleStub.withDeadlineAfter(10, TimeUnit.SECONDS).createRole(CreateRoleRequest.newBuilder()
                        .setRoleName(roleName).setAssumeRolePolicyDocument(trust)
                        .setDescription("assumed by bench/assume-role.sh").build()).getRole().getArn();
                System.out.println("created " + roleArn);
            } catch (StatusRuntimeException e) {
                if (e.getStatus().getCode() != Status.Code.ALREADY_EXISTS) {
                    throw e;
                }
                System.out.println("exists  " + roleArn);
            }
            AssumeRoleRequest request = AssumeRoleRequest.newBuilder().setRoleArn(roleArn).setRoleSessionName("bench").build();
            var tokenStub = GrpcFrames.withBearer(TokenServiceGrpc.newBlockingStub(tokenChannel), GrpcFrames.token(callerToken));
            Instant deadline = Instant.now().plus(wait);
            while (true) {
                try {
                    tokenStub.withDeadlineAfter(10, TimeUnit.SECONDS).assumeRole(request);
                    break;
                } catch (StatusRuntimeException e) {
                    if (Instant.now().isAfter(deadline)) {
                        System.err.println("AssumeRole of " + roleArn + " still fails after " + wait + ": " + e.getStatus());
                        return 1;
                    }
                    Thread.sleep(250);
                }
            }
            System.out.println("AssumeRole of " + roleArn + " succeeds");
            GrpcFrames.write(out.resolve("assume-role.bin"), request);
            GrpcFrames.write(out.resolve("get-caller-identity.bin"), GetCallerIdentityRequest.getDefaultInstance());
            GrpcFrames.write(out.resolve("get-jwks.bin"), GetJwksRequest.getDefaultInstance());
            return 0;
        } finally {
            roleChannel.shutdownNow();
            tokenChannel.shutdownNow();
        }
    }
}
