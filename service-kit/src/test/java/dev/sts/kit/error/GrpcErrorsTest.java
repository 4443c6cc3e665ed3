package dev.sts.kit.error;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.rpc.BadRequest;
import com.google.rpc.ErrorInfo;
import io.grpc.Status;
import io.grpc.StatusException;
import io.grpc.protobuf.StatusProto;
import org.junit.jupiter.api.Test;

class GrpcErrorsTest {

    @Test
    void stsExceptionKeepsCodeMessageAndNamesTheField() throws Exception {
        StatusException se = GrpcErrors.toStatusException(
                new StsException(ErrorCode.MALFORMED_POLICY_DOCUMENT, "Statement[0]: missing Effect", "assume_role_policy_document"));

        assertThat(se.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(se.getStatus().getDescription()).isEqualTo("Statement[0]: missing Effect");
        com.google.rpc.Status status = StatusProto.fromThrowable(se);
        ErrorInfo info = status.getDetails(0).unpack(ErrorInfo.class);
        assertThat(info.getReason()).isEqualTo("MalformedPolicyDocument");
        assertThat(info.getDomain()).isEqualTo("sts.v1");
        BadRequest bad = status.getDetails(1).unpack(BadRequest.class);
        assertThat(bad.getFieldViolations(0).getField()).isEqualTo("assume_role_policy_document");
        assertThat(GrpcErrors.reason(se)).isEqualTo("MalformedPolicyDocument");
    }

    @Test
    void unexpectedFailureIsInternalWithoutItsMessage() {
        StatusException se = GrpcErrors.toStatusException(new IllegalStateException("password=hunter2 in SQL"));

        assertThat(se.getStatus().getCode()).isEqualTo(Status.Code.INTERNAL);
        assertThat(se.getStatus().getDescription()).isEqualTo("internal error");
        assertThat(GrpcErrors.reason(se)).isEqualTo("InternalFailure");
    }

    @Test
    void grpcStatusPassesThrough() {
        StatusException se = GrpcErrors.toStatusException(Status.UNIMPLEMENTED.withDescription("later").asRuntimeException());
        assertThat(se.getStatus().getCode()).isEqualTo(Status.Code.UNIMPLEMENTED);
    }

    @Test
    void nonArgumentErrorsCarryNoBadRequestButNameTheirField() throws Exception {
        com.google.rpc.Status status = GrpcErrors.toStatus(new StsException(ErrorCode.NO_SUCH_ENTITY, "no role", "role_name"));
        assertThat(status.getCode()).isEqualTo(Status.Code.NOT_FOUND.value());
        assertThat(status.getDetailsList()).hasSize(1);
        assertThat(status.getDetails(0).unpack(com.google.rpc.ErrorInfo.class).getMetadataMap())
                .containsEntry(GrpcErrors.FIELD, "role_name");
        com.google.rpc.Status fieldless = GrpcErrors.toStatus(new StsException(ErrorCode.ACCESS_DENIED, "no"));
        assertThat(fieldless.getDetails(0).unpack(com.google.rpc.ErrorInfo.class).getMetadataMap()).isEmpty();
    }

    @Test
    void concurrentModificationIsAbortedSoClientsKnowToRetry() {
        com.google.rpc.Status status = GrpcErrors.toStatus(new StsException(ErrorCode.CONCURRENT_MODIFICATION, "again"));
        assertThat(status.getCode()).isEqualTo(Status.Code.ABORTED.value());
    }
}
