package dev.sts.kit.error;

import com.google.protobuf.Any;
import com.google.rpc.BadRequest;
import com.google.rpc.ErrorInfo;
import io.grpc.Status;
import io.grpc.StatusException;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import org.jboss.logging.Logger;

/**
 * The one place where failures become gRPC statuses: {@link StsException}s keep their code and
 * message and gain an {@code ErrorInfo} (and a {@code BadRequest} naming the field); a status
 * raised by gRPC itself passes through; anything else is {@code INTERNAL "internal error"}, its
 * cause logged once here and never sent.
 */
public final class GrpcErrors {
    private static final Logger LOG = Logger.getLogger(GrpcErrors.class);

    private GrpcErrors() {
    }

    public static StatusException toStatusException(Throwable failure) {
        Throwable t = unwrap(failure);
        if (t instanceof StatusException se) {
            return se;
        }
        if (t instanceof StatusRuntimeException sre) {
            return new StatusException(sre.getStatus(), sre.getTrailers());
        }
        if (t instanceof StsException sts) {
            return StatusProto.toStatusException(toStatus(sts));
        }
        LOG.error("internal error while serving a call", t);
        return StatusProto.toStatusException(toStatus(new StsException(ErrorCode.INTERNAL_FAILURE, "internal error")));
    }

    /** The ErrorInfo metadata key naming the request field an error is about. */
    public static final String FIELD = "field";

    public static com.google.rpc.Status toStatus(StsException e) {
        ErrorInfo.Builder info = ErrorInfo.newBuilder()
                .setReason(e.code().awsCode())
                .setDomain(ErrorCode.DOMAIN)
                .putAllMetadata(e.metadata());
        if (e.field() != null && !e.metadata().containsKey(FIELD)) {
            // Every error about one request field names it, whatever its code (LimitExceeded on
            // policy_document, NoSuchEntity on policy_arn); INVALID_ARGUMENT adds BadRequest too.
            info.putMetadata(FIELD, e.field());
        }
        com.google.rpc.Status.Builder status = com.google.rpc.Status.newBuilder()
                .setCode(e.code().grpcCode().value())
                .setMessage(e.getMessage() == null ? e.code().awsCode() : e.getMessage())
                .addDetails(Any.pack(info.build()));
        if (e.field() != null && e.code().grpcCode() == Status.Code.INVALID_ARGUMENT) {
            status.addDetails(Any.pack(BadRequest.newBuilder()
                    .addFieldViolations(BadRequest.FieldViolation.newBuilder()
                            .setField(e.field())
                            .setDescription(e.getMessage() == null ? "" : e.getMessage()))
                    .build()));
        }
        return status.build();
    }

    /** Reads the ErrorInfo reason back from a status, for clients and tests. */
    public static String reason(Throwable t) {
        com.google.rpc.Status status = StatusProto.fromThrowable(t);
        if (status == null) {
            return null;
        }
        for (Any any : status.getDetailsList()) {
            if (any.is(ErrorInfo.class)) {
                try {
                    return any.unpack(ErrorInfo.class).getReason();
                } catch (com.google.protobuf.InvalidProtocolBufferException e) {
                    return null;
                }
            }
        }
        return null;
    }

    private static Throwable unwrap(Throwable t) {
        Throwable current = t;
        while ((current instanceof java.util.concurrent.CompletionException
                || current instanceof java.util.concurrent.ExecutionException
                || current.getClass().getName().equals("io.smallrye.mutiny.CompositeException"))
                && current.getCause() != null) {
            current = current.getCause();
        }
        return current;
    }
}
