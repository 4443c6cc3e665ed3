package dev.sts.audit.api;

import dev.sts.audit.domain.ChainStore;
import dev.sts.audit.domain.ChainVerification;
import dev.sts.audit.domain.ChainVerifier;
import dev.sts.audit.signing.CheckpointKeys;
import dev.sts.kit.error.StsException;
import dev.sts.proto.v1.ChainProblem;
import dev.sts.proto.v1.VerifyChainRequest;
import dev.sts.proto.v1.VerifyChainResponse;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/** VerifyChain's request checks and its mapping between the contract and {@link ChainVerifier}. */
@ApplicationScoped
public class VerifyChainRpc {
    /** The width of {@code audit_records.chain_id}: no stored chain has a longer id. */
    static final int MAX_CHAIN_ID = 300;

    private final ChainVerifier verifier;

    public VerifyChainRpc(ChainStore store, CheckpointKeys keys) {
        this.verifier = new ChainVerifier(store, keys, ChainVerifier.DEFAULT_PAGE);
    }

    public VerifyChainResponse verify(VerifyChainRequest request) {
        String chainId = request.getChainId();
        if (chainId.length() > MAX_CHAIN_ID) {
            throw StsException.invalid("chain_id", "chain_id must be at most " + MAX_CHAIN_ID + " characters");
        }
        if (request.getFromSequence() < 0) {
            throw StsException.invalid("from_sequence", "from_sequence must not be negative");
        }
        if (request.getToSequence() < 0) {
            throw StsException.invalid("to_sequence", "to_sequence must not be negative");
        }
        if (chainId.isEmpty() && (request.getFromSequence() != 0 || request.getToSequence() != 0)) {
            throw StsException.invalid(request.getFromSequence() != 0 ? "from_sequence" : "to_sequence",
                    "a sequence range needs chain_id");
        }
        long from = request.getFromSequence() == 0 ? 1 : request.getFromSequence();
        long to = request.getToSequence() == 0 ? Long.MAX_VALUE : request.getToSequence();
        if (to < from) {
            throw StsException.invalid("to_sequence", "to_sequence must not be below from_sequence");
        }
        List<ChainVerification> results = chainId.isEmpty() ? verifier.verifyAll() : List.of(verifier.verify(chainId, from, to));
        VerifyChainResponse.Builder b = VerifyChainResponse.newBuilder();
        for (ChainVerification v : results) {
            b.addChains(dev.sts.proto.v1.ChainVerification.newBuilder().setChainId(v.chainId()).setIntact(v.intact())
                    .setRecordsChecked(v.recordsChecked()).setFirstBrokenSequence(v.firstBrokenSequence())
                    .setFirstBrokenEventId(v.firstBrokenEventId()).setHeadHash(v.headHash()).setHeadSequence(v.headSequence())
                    .setProblem(v.problem()).setProblemKind(kind(v))
                    .setCheckpointsChecked(v.checkpointsChecked()).setLastCheckpointSequence(v.lastCheckpointSequence()));
        }
        return b.build();
    }

    private static ChainProblem kind(ChainVerification v) {
        if (v.problemKind() == null) {
            return ChainProblem.CHAIN_PROBLEM_UNSPECIFIED;
        }
        return switch (v.problemKind()) {
            case ALTERED -> ChainProblem.CHAIN_PROBLEM_ALTERED;
            case DELETED -> ChainProblem.CHAIN_PROBLEM_DELETED;
            case INSERTED -> ChainProblem.CHAIN_PROBLEM_INSERTED;
            case FORGED_CHECKPOINT -> ChainProblem.CHAIN_PROBLEM_FORGED_CHECKPOINT;
        };
    }
}
