package dev.sts.system;

import static org.assertj.core.api.Assertions.fail;

import io.grpc.StatusRuntimeException;

/** Calls that are expected to fail, and what they failed with. */
final class Calls {
    private Calls() {
    }

    static StatusRuntimeException expectError(Runnable call) {
        try {
            call.run();
        } catch (StatusRuntimeException e) {
            return e;
        }
        return fail("expected the call to fail");
    }
}
