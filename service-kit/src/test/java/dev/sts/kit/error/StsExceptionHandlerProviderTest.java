package dev.sts.kit.error;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.Status;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class StsExceptionHandlerProviderTest {

    /** Records what the handler sends; the transport may already have closed the call. */
    static final class RecordingCall extends ServerCall<String, String> {
        final List<Status> closed = new ArrayList<>();

        @Override public void request(int numMessages) { }
        @Override public void sendHeaders(Metadata headers) { }
        @Override public void sendMessage(String message) { }
        @Override public void close(Status status, Metadata trailers) { closed.add(status); }
        @Override public boolean isCancelled() { return false; }
        @Override public MethodDescriptor<String, String> getMethodDescriptor() { return null; }
    }

    private static ServerCall.Listener<String> failingWith(RuntimeException failure) {
        return new ServerCall.Listener<>() {
            @Override
            public void onHalfClose() {
                throw failure;
            }
        };
    }

    @Test
    void aDomainFailureClosesTheCallWithItsStatus() {
        RecordingCall call = new RecordingCall();
        var handler = new StsExceptionHandlerProvider().createHandler(
                failingWith(new StsException(ErrorCode.VALIDATION_ERROR, "bad", "role_arn")), call, new Metadata());

        handler.onHalfClose();

        assertThat(call.closed).extracting(Status::getCode).containsExactly(Status.Code.INVALID_ARGUMENT);
    }

    @Test
    void aCallTheTransportAlreadyClosedIsNotClosedAgainNorReportedAsInternal() {
        RecordingCall call = new RecordingCall();
        var handler = new StsExceptionHandlerProvider().createHandler(
                failingWith(new IllegalStateException("Trailers already sent")), call, new Metadata());

        handler.onHalfClose();

        assertThat(call.closed).isEmpty();
    }
}
