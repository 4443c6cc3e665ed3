package dev.sts.role.api.iam;

import dev.sts.kit.aws.AwsQueryForm;
import dev.sts.kit.aws.AwsQueryXml;
import dev.sts.kit.aws.AwsQueryXml.Body;
import dev.sts.kit.error.ErrorCode;
import dev.sts.kit.error.StsException;
import dev.sts.role.api.RoleOperations;
import dev.sts.role.domain.Call;
import io.smallrye.mutiny.Uni;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * The IAM Query actions this service answers, one per RoleService RPC: the parameters read into
 * the RPC's request message, the same {@link RoleOperations} method the gRPC service calls, and the
 * RPC's response written as the action's {@code <Action>Result}.
 */
final class IamActions {
    /** The IAM API version, the only one there is (https://docs.aws.amazon.com/IAM/latest/APIReference/). */
    static final String VERSION = "2010-05-08";
    /** The namespace of every IAM response document. */
    static final String NAMESPACE = "https://iam.amazonaws.com/doc/2010-05-08/";

    /** Runs one operation for a caller. */
    interface Operation<Q, R> {
        Uni<R> run(RoleOperations operations, Call call, Q request);
    }

    /**
     * One action.
     *
     * @param result writes the {@code <Action>Result} content, or {@code null} for actions whose
     *     response has only ResponseMetadata (IAM answers DeleteRole with no result element)
     */
    record Action<Q, R>(String name, Function<QueryParameters, Q> request, Operation<Q, R> operation,
            BiConsumer<R, Body> result) {

        /**
         * Reads the request from the parameters (refusing any parameter the action does not take),
         * runs the operation and writes its response document. Failures, including those thrown
         * while reading, arrive as the Uni's failure.
         */
        Uni<String> handle(RoleOperations operations, Call call, QueryParameters parameters) {
            return Uni.createFrom().deferred(() -> {
                Q q = request.apply(parameters);
                parameters.requireAllRead(name);
                return operation.run(operations, call, q);
            }).map(r -> AwsQueryXml.response(name, NAMESPACE, call.request().requestId(),
                            result == null ? null : x -> result.accept(r, x)));
        }
    }

    private static final Map<String, Action<?, ?>> ACTIONS = Map.ofEntries(
            action("CreateRole", IamRequests::createRole, RoleOperations::createRole, IamResults::createRole),
            action("GetRole", IamRequests::getRole, RoleOperations::getRole, IamResults::getRole),
            action("ListRoles", IamRequests::listRoles, RoleOperations::listRoles, IamResults::listRoles),
            action("UpdateRole", IamRequests::updateRole, RoleOperations::updateRole, IamResults::updateRole),
            action("DeleteRole", IamRequests::deleteRole, RoleOperations::deleteRole, null),
            action("UpdateAssumeRolePolicy", IamRequests::updateAssumeRolePolicy, RoleOperations::updateAssumeRolePolicy,
                    null),
            action("TagRole", IamRequests::tagRole, RoleOperations::tagRole, null),
            action("UntagRole", IamRequests::untagRole, RoleOperations::untagRole, null),
            action("PutRolePolicy", IamRequests::putRolePolicy, RoleOperations::putRolePolicy, null),
            action("GetRolePolicy", IamRequests::getRolePolicy, RoleOperations::getRolePolicy, IamResults::getRolePolicy),
            action("DeleteRolePolicy", IamRequests::deleteRolePolicy, RoleOperations::deleteRolePolicy, null),
            action("ListRolePolicies", IamRequests::listRolePolicies, RoleOperations::listRolePolicies,
                    IamResults::listRolePolicies),
            action("AttachRolePolicy", IamRequests::attachRolePolicy, RoleOperations::attachRolePolicy, null),
            action("DetachRolePolicy", IamRequests::detachRolePolicy, RoleOperations::detachRolePolicy, null),
            action("ListAttachedRolePolicies", IamRequests::listAttachedRolePolicies,
                    RoleOperations::listAttachedRolePolicies, IamResults::listAttachedRolePolicies),
            action("PutRolePermissionsBoundary", IamRequests::putRolePermissionsBoundary,
                    RoleOperations::putRolePermissionsBoundary, null),
            action("DeleteRolePermissionsBoundary", IamRequests::deleteRolePermissionsBoundary,
                    RoleOperations::deleteRolePermissionsBoundary, null),
            action("CreatePolicy", IamRequests::createPolicy, RoleOperations::createPolicy, IamResults::createPolicy),
            action("GetPolicy", IamRequests::getPolicy, RoleOperations::getPolicy, IamResults::getPolicy),
            action("ListPolicies", IamRequests::listPolicies, RoleOperations::listPolicies, IamResults::listPolicies),
            action("DeletePolicy", IamRequests::deletePolicy, RoleOperations::deletePolicy, null),
            action("CreatePolicyVersion", IamRequests::createPolicyVersion, RoleOperations::createPolicyVersion,
                    IamResults::createPolicyVersion),
            action("GetPolicyVersion", IamRequests::getPolicyVersion, RoleOperations::getPolicyVersion,
                    IamResults::getPolicyVersion),
            action("ListPolicyVersions", IamRequests::listPolicyVersions, RoleOperations::listPolicyVersions,
                    IamResults::listPolicyVersions),
            action("SetDefaultPolicyVersion", IamRequests::setDefaultPolicyVersion,
                    RoleOperations::setDefaultPolicyVersion, null),
            action("DeletePolicyVersion", IamRequests::deletePolicyVersion, RoleOperations::deletePolicyVersion, null),
            action("SimulatePrincipalPolicy", IamRequests::simulatePrincipalPolicy,
                    RoleOperations::simulatePrincipalPolicy, IamResults::simulatePrincipalPolicy));

    private IamActions() {
    }

    private static <Q, R> Map.Entry<String, Action<?, ?>> action(String name, Function<QueryParameters, Q> request,
            Operation<Q, R> operation, BiConsumer<R, Body> result) {
        return Map.entry(name, new Action<>(name, request, operation, result));
    }

    /**
     * The action a request names (its presence is checked by {@link AwsQueryForm#action()}:
     * {@code MissingAction}). IAM answers an unknown action, or another API version, with
     * {@code InvalidAction} ("The action or operation requested is invalid", Common Errors,
     * https://docs.aws.amazon.com/IAM/latest/APIReference/CommonErrors.html).
     */
    static Action<?, ?> of(String action, String version) {
        Action<?, ?> a = ACTIONS.get(action);
        if (a == null || !VERSION.equals(version)) {
            String shown = action.length() > 64 ? action.substring(0, 64) + "..." : action;
            throw new StsException(ErrorCode.INVALID_ACTION, "Could not find operation " + shown + " for version "
                    + (version == null ? "NO_VERSION_SPECIFIED" : version.length() > 32 ? version.substring(0, 32) + "..."
                            : version), "Action");
        }
        return a;
    }

    /** The names of the actions (one per RoleService RPC). */
    static java.util.Set<String> names() {
        return ACTIONS.keySet();
    }
}
