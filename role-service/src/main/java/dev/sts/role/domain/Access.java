package dev.sts.role.domain;

import dev.sts.kit.auth.Authorizer;
import dev.sts.kit.error.ErrorCode;
import dev.sts.kit.error.StsException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Authorization of every role-service call, and the audit of refusals: a refused call leaves a
 * {@code RoleChanged} with {@code error_code} "AccessDenied" in the outbox and changes nothing
 * else. CloudTrail records refused IAM calls the same way, reads included.
 */
@ApplicationScoped
public class Access {
    private static final Logger LOG = Logger.getLogger(Access.class);
    private final Authorizer authorizer;
    private final RoleChangeEvents events;

    public Access(Authorizer authorizer, RoleChangeEvents events) {
        this.authorizer = authorizer;
        this.events = events;
    }

    /** Throws {@link Denied} unless the caller may perform {@code action} on {@code resourceArn}. */
    public void require(Call call, String action, String resourceArn) {
        try {
            authorizer.require(call.caller(), action, resourceArn, call.request());
        } catch (StsException e) {
            if (e.code() == ErrorCode.ACCESS_DENIED) {
                throw new Denied(e, action, resourceArn);
            }
            throw e;
        }
    }

    /**
     * Runs a use case (subscribed lazily, so that exceptions it throws become failures) and, if
     * the authorizer refused it, records the refusal before answering {@code AccessDenied}. The
     * caller is refused whether or not the record could be written: a refusal never depends on
     * the audit trail being reachable (the failure to record it is logged).
     *
     * @param parameters the request parameters as the caller sent them, already bounded
     */
    public <T> Uni<T> audited(Call call, String eventName, Map<String, ?> parameters, Supplier<Uni<T>> useCase) {
        return Uni.createFrom().deferred(useCase::get).onFailure(Denied.class).call(e -> {
            Denied d = (Denied) e;
            return events.recordDenial(eventName, d.resourceArn(), call, parameters, d.code().awsCode(), d.getMessage())
                    .onFailure().invoke(f -> LOG.warnf("could not record the refusal of %s on %s: %s", eventName,
                            d.resourceArn(), f.toString()))
                    .onFailure().recoverWithNull();
        });
    }
}
