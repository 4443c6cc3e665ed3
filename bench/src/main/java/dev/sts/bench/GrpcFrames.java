package dev.sts.bench;

import com.google.protobuf.MessageLite;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.AbstractStub;
import io.grpc.stub.MetadataUtils;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;

/** gRPC on the wire for h2load, and plaintext channels with a bearer credential for the checks. */
final class GrpcFrames {
    private GrpcFrames() {
    }

    /**
     * One length-prefixed message as gRPC sends it over HTTP/2: a compression flag byte (0), the
     * length as 4 bytes big-endian, the serialized message.
     */
    static byte[] frame(MessageLite message) {
        byte[] body = message.toByteArray();
        return ByteBuffer.allocate(5 + body.length).put((byte) 0).putInt(body.length).put(body).array();
    }

    static void write(Path file, MessageLite message) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.write(file, frame(message));
    }

    static ManagedChannel channel(String target) {
        return NettyChannelBuilder.forTarget(target).usePlaintext().build();
    }

    static <S extends AbstractStub<S>> S withBearer(S stub, String token) {
        Metadata headers = new Metadata();
        headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + token);
        return stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
    }

    static String token(Path file) throws IOException {
        return Files.readString(file).strip();
    }
}
