package dev.sts.audit.domain;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/** A hand-written {@link ChainStore}: rows and checkpoints per chain, counting the pages read. */
final class InMemoryChains implements ChainStore {
    final Map<String, List<ChainRow>> rows = new TreeMap<>();
    final Map<String, List<Checkpoint>> checkpoints = new TreeMap<>();
    int pagesRead;
    int largestPage;

    /** Appends {@code n} genuine records to a chain. */
    InMemoryChains append(String chainId, int n) {
        List<ChainRow> chain = rows.computeIfAbsent(chainId, k -> new ArrayList<>());
        for (int i = 0; i < n; i++) {
            long seq = chain.size() + 1;
            String prev = chain.isEmpty() ? ChainHash.GENESIS : chain.get(chain.size() - 1).recordHash();
            chain.add(row(seq, prev, chainId + " record " + seq));
        }
        return this;
    }

    static ChainRow row(long seq, String prev, String content) {
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        return new ChainRow(seq, prev, ChainHash.next(prev, bytes), bytes, "event-" + content.hashCode());
    }

    List<ChainRow> chain(String chainId) {
        return rows.get(chainId);
    }

    ChainRow at(String chainId, long seq) {
        return rows.get(chainId).stream().filter(r -> r.sequence() == seq).findFirst().orElseThrow();
    }

    void put(String chainId, ChainRow row) {
        List<ChainRow> chain = rows.get(chainId);
        chain.add(row);
        chain.sort(Comparator.comparingLong(ChainRow::sequence));
    }

    void addCheckpoint(Checkpoint c) {
        List<Checkpoint> list = checkpoints.computeIfAbsent(c.chainId(), k -> new ArrayList<>());
        list.add(c);
        list.sort(Comparator.comparingLong(Checkpoint::sequence));
    }

    @Override
    public List<ChainHead> heads() {
        List<ChainHead> heads = new ArrayList<>();
        rows.forEach((id, chain) -> {
            if (!chain.isEmpty()) {
                ChainRow last = chain.get(chain.size() - 1);
                heads.add(new ChainHead(id, last.sequence(), last.recordHash()));
            }
        });
        return heads;
    }

    @Override
    public Optional<Checkpoint> latestCheckpoint(String chainId) {
        List<Checkpoint> list = checkpoints.getOrDefault(chainId, List.of());
        return list.isEmpty() ? Optional.empty() : Optional.of(list.get(list.size() - 1));
    }

    @Override
    public boolean store(Checkpoint c) {
        if (checkpoints.getOrDefault(c.chainId(), List.of()).stream().anyMatch(x -> x.sequence() == c.sequence())) {
            return false;
        }
        addCheckpoint(c);
        return true;
    }

    @Override
    public <T> T inSnapshot(SnapshotReading<T> reading) {
        return reading.read(new Snapshot() {
            @Override
            public List<String> chainIds() {
                TreeSet<String> ids = new TreeSet<>(rows.keySet());
                ids.addAll(checkpoints.keySet());
                return List.copyOf(ids);
            }

            @Override
            public List<ChainRow> records(String chainId, long after, long upTo, int limit) {
                List<ChainRow> page = rows.getOrDefault(chainId, List.of()).stream()
                        .filter(r -> r.sequence() > after && r.sequence() <= upTo).limit(limit).toList();
                pagesRead++;
                largestPage = Math.max(largestPage, page.size());
                return page;
            }

            @Override
            public List<Checkpoint> checkpoints(String chainId, long after, long upTo, int limit) {
                return checkpoints.getOrDefault(chainId, List.of()).stream()
                        .filter(c -> c.sequence() > after && c.sequence() <= upTo).limit(limit).toList();
            }
        });
    }
}
