package dev.sts.bench;

import dev.sts.proto.v1.AssumeRoleRequest;
import dev.sts.proto.v1.AssumeRoleResponse;
import dev.sts.proto.v1.TokenServiceGrpc;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Sends the benchmark's own request body as a real gRPC client and counts the gRPC statuses: the
 * check that what h2load counts as HTTP 200 is a success at the gRPC level too.
 */
@Command(name = "check", description = "Send N AssumeRole calls with grpc-java and print their gRPC statuses.")
final class GrpcCheck implements Callable<Integer> {
    @Option(names = "--tokens", required = true)
    String tokens;
    @Option(names = "--caller-token", required = true)
    Path callerToken;
    @Option(names = "--body", required = true, description = "the gRPC-framed AssumeRoleRequest h2load sends")
    Path body;
    @Option(names = "--calls", defaultValue = "500")
    int calls;
    @Option(names = "--in-flight", defaultValue = "32")
    int inFlight;

    @Override
    public Integer call() throws Exception {
        byte[] framed = Files.readAllBytes(body);
        AssumeRoleRequest request = AssumeRoleRequest.parseFrom(java.util.Arrays.copyOfRange(framed, 5, framed.length));
        ManagedChannel channel = GrpcFrames.channel(tokens);
        Map<Status.Code, LongAdder> statuses = new ConcurrentHashMap<>();
        try {
            var stub = GrpcFrames.withBearer(TokenServiceGrpc.newStub(channel), GrpcFrames.token(callerToken));
            Semaphore window = new Semaphore(inFlight);
            CountDownLatch done = new CountDownLatch(calls);
            long t0 = System.nanoTime();
            for (int i = 0; i < calls; i++) {
                window.acquire();
                stub.withDeadlineAfter(30, TimeUnit.SECONDS).assumeRole(request, new StreamObserver<>() {
                    @Override
                    public void onNext(AssumeRoleResponse value) {
                    }

                    @Override
                    public void onError(Throwable t) {
                        finish(Status.fromThrowable(t).getCode());
                    }

                    @Override
                    public void onCompleted() {
                        finish(Status.Code.OK);
                    }

                    private void finish(Status.Code code) {
                        statuses.computeIfAbsent(code, c -> new LongAdder()).increment();
                        window.release();
                        done.countDown();
                    }
                });
            }
            done.await(5, TimeUnit.MINUTES);
            double seconds = (System.nanoTime() - t0) / 1e9;
            long ok = statuses.getOrDefault(Status.Code.OK, new LongAdder()).sum();
            System.out.printf("grpc-java check: %d calls, %d OK, statuses %s (%.0f/s)%n", calls, ok, statuses, calls / seconds);
            return ok == calls ? 0 : 1;
        } finally {
            channel.shutdownNow();
        }
    }
}
