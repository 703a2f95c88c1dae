package io.snapbus.jobs.catalog;

import io.snapbus.avro.BackendDef;
import io.snapbus.avro.BackupScheduleDef;
import io.snapbus.avro.CatalogRecord;
import io.snapbus.avro.DatabaseDef;
import io.snapbus.avro.IdAllocation;
import io.snapbus.avro.OdbcResourceDef;
import io.snapbus.avro.OdbcTableDef;
import io.snapbus.avro.OlapTableDef;
import io.snapbus.avro.PartitionDef;
import io.snapbus.avro.RecycledObject;
import io.snapbus.avro.RepositoryDef;
import io.snapbus.avro.RetentionPolicyDef;
import io.snapbus.avro.TabletChunk;
import io.snapbus.avro.TabletDef;
import io.snapbus.avro.ViewDef;
import io.snapbus.jobs.StartupOrder;
import io.snapbus.kafka.KafkaClients;
import io.snapbus.kafka.TopicsProvisioning;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import org.apache.avro.specific.SpecificRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

/**
 * The catalog (bean {@code catalog}): an immutable {@link CatalogState} swapped on every committed change. A change is
 * written to the catalog topic, acknowledged, and only then becomes visible; one lock serialises writers (and the id
 * allocator), readers never block. Rebuilt at start by replaying the topic up to its end (read from the moment the
 * topics exist, while the rest of the service is built).
 */
@Component("catalog")
public class Catalog implements CatalogView, SmartLifecycle {
    /** Ids reserved per persisted high-water mark. */
    static final long ID_BLOCK = 1000;
    private static final Logger log = LoggerFactory.getLogger(Catalog.class);

    private final CatalogLog store;
    /** The topic read while the rest of the service is built; {@link #start()} takes it (a later start reads anew). */
    private CompletableFuture<Replayed> replay;
    private final ReentrantLock writeLock = new ReentrantLock();
    private volatile CatalogState state = CatalogState.empty();
    private volatile boolean running;
    private long nextId;

    public Catalog(KafkaClients clients, KafkaTemplate<String, SpecificRecord> template, TopicsProvisioning topics) {
        this.store = new CatalogLog(clients, template);
        this.replay = topics.thenRead("replay-catalog", this::replayTopic);
    }

    // ---- start-up ----

    /** What a replay of the topic rebuilt. */
    private record Replayed(CatalogState state, int records, long millis) {}

    /**
     * Reads the catalog topic up to the end it had when reading began. Nothing writes the catalog before
     * {@link #start()} (writes come from requests, served later), so that end is the end at start too.
     */
    private Replayed replayTopic() {
        long started = System.nanoTime();
        CatalogState[] replayed = {CatalogState.empty()};
        int records = store.replay((key, record) -> replayed[0] = replayed[0].apply(key, record,
                replayed[0].seq() + 1));
        return new Replayed(replayed[0], records, (System.nanoTime() - started) / 1_000_000);
    }

    /** Takes the replayed catalog (the replay began with the topics); start-up blocks until it is complete. */
    @Override
    public void start() {
        writeLock.lock();
        try {
            long started = System.nanoTime();
            Replayed replayed = replay != null ? TopicsProvisioning.join(replay) : replayTopic();
            replay = null;
            state = replayed.state();
            nextId = state.idHighWater();
            running = true;
            log.info("catalog replayed: {} records, {} databases, {} tables, {} backends, {} repositories, {} in the"
                    + " recycle bin, seq {} in {} ms (waited {} ms for it at start)", replayed.records(),
                    state.databases().size(), state.tables().size(), state.backends().size(),
                    state.repositories().size(), state.recycleBin().size(), state.seq(), replayed.millis(),
                    (System.nanoTime() - started) / 1_000_000);
        } finally {
            writeLock.unlock();
        }
    }

    @Override
    public void stop() {
        running = false;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return StartupOrder.CATALOG;
    }

    // ---- writes ----

    /**
     * Runs {@code body} under the write lock with a fresh change; the body validates against the catalog (reads are
     * current while the lock is held) and fills the change, which is then persisted and made visible. If the body or
     * the write throws, nothing changes.
     */
    public <T> T update(Function<CatalogChange, T> body) {
        writeLock.lock();
        try {
            CatalogChange change = new CatalogChange(state);
            T result = body.apply(change);
            commit(change);
            return result;
        } finally {
            writeLock.unlock();
        }
    }

    /** Persists and applies a change; returns the catalog seq of its last record. */
    private long commit(CatalogChange change) {
        if (change.isEmpty()) {
            return state.seq();
        }
        long seq = state.seq();
        List<CatalogLog.Write> writes = new ArrayList<>();
        List<Long> seqs = new ArrayList<>();
        for (CatalogChange.Entry entry : change.entries()) {
            seq++;
            seqs.add(seq);
            writes.add(new CatalogLog.Write(entry.key(), entry.value() == null ? null
                    : new CatalogRecord(entry.key(), seq, entry.value())));
        }
        store.write(writes);
        CatalogState next = state;
        for (int i = 0; i < writes.size(); i++) {
            next = next.apply(writes.get(i).key(), writes.get(i).value(), seqs.get(i));
        }
        state = next;
        return seq;
    }

    @Override
    public long nextId() {
        writeLock.lock();
        try {
            if (nextId >= state.idHighWater()) {
                long highWater = Math.max(nextId, state.idHighWater()) + ID_BLOCK;
                CatalogChange change = new CatalogChange(state);
                change.put(CatalogKeys.IDS, new IdAllocation(highWater));
                commit(change);
            }
            return nextId++;
        } finally {
            writeLock.unlock();
        }
    }

    // ---- reads ----

    @Override
    public Optional<DatabaseDef> database(String name) {
        return state.databases().values().stream().filter(db -> db.getName().equals(name)).findFirst();
    }

    @Override
    public Optional<DatabaseDef> database(long id) {
        return Optional.ofNullable(state.databases().get(id));
    }

    public List<DatabaseDef> databases() {
        return state.databases().values().stream().sorted(Comparator.comparing(DatabaseDef::getName)).toList();
    }

    @Override
    public Optional<OlapTableDef> table(long dbId, String name) {
        return state.tables().values().stream()
                .filter(t -> t.getDbId() == dbId && t.getName().equals(name)).findFirst();
    }

    @Override
    public Optional<OlapTableDef> table(long tableId) {
        return Optional.ofNullable(state.tables().get(tableId));
    }

    public List<OlapTableDef> tables(long dbId) {
        return state.tables().values().stream().filter(t -> t.getDbId() == dbId)
                .sorted(Comparator.comparing(OlapTableDef::getName)).toList();
    }

    @Override
    public List<PartitionDef> partitions(long tableId) {
        return state.partitions().values().stream().filter(p -> p.getTableId() == tableId)
                .sorted(Comparator.comparing(PartitionDef::getTemporary).thenComparing(PartitionDef::getName))
                .toList();
    }

    @Override
    public List<TabletDef> tablets(long partitionId, long indexId) {
        Map<Integer, TabletChunk> chunks = state.tabletChunks().get(CatalogState.chunkGroup(partitionId, indexId));
        if (chunks == null) {
            return List.of();
        }
        List<TabletDef> tablets = new ArrayList<>();
        chunks.values().stream().sorted(Comparator.comparingInt(TabletChunk::getChunkIndex))
                .forEach(chunk -> tablets.addAll(chunk.getTablets()));
        return tablets;
    }

    @Override
    public Optional<ViewDef> view(long dbId, String name) {
        return state.views().values().stream()
                .filter(v -> v.getDbId() == dbId && v.getName().equals(name)).findFirst();
    }

    public List<ViewDef> views(long dbId) {
        return state.views().values().stream().filter(v -> v.getDbId() == dbId)
                .sorted(Comparator.comparing(ViewDef::getName)).toList();
    }

    @Override
    public Optional<OdbcTableDef> odbcTable(long dbId, String name) {
        return state.odbcTables().values().stream()
                .filter(t -> t.getDbId() == dbId && t.getName().equals(name)).findFirst();
    }

    public List<OdbcTableDef> odbcTables(long dbId) {
        return state.odbcTables().values().stream().filter(t -> t.getDbId() == dbId)
                .sorted(Comparator.comparing(OdbcTableDef::getName)).toList();
    }

    @Override
    public Optional<OdbcResourceDef> resource(String name) {
        return Optional.ofNullable(state.resources().get(name));
    }

    public List<OdbcResourceDef> resources() {
        return state.resources().values().stream().sorted(Comparator.comparing(OdbcResourceDef::getName)).toList();
    }

    @Override
    public List<BackendDef> backends() {
        return state.backends().values().stream().sorted(Comparator.comparingLong(BackendDef::getId)).toList();
    }

    public Optional<BackupScheduleDef> backupSchedule(String name) {
        return Optional.ofNullable(state.backupSchedules().get(name));
    }

    /** The backup schedules, by name. */
    public List<BackupScheduleDef> backupSchedules() {
        return state.backupSchedules().values().stream().sorted(Comparator.comparing(BackupScheduleDef::getName))
                .toList();
    }

    public Optional<RetentionPolicyDef> retentionPolicy(String name) {
        return Optional.ofNullable(state.retentionPolicies().get(name));
    }

    /** The retention policies, by name. */
    public List<RetentionPolicyDef> retentionPolicies() {
        return state.retentionPolicies().values().stream().sorted(Comparator.comparing(RetentionPolicyDef::getName))
                .toList();
    }

    @Override
    public Optional<RepositoryDef> repository(String name) {
        return Optional.ofNullable(state.repositories().get(name));
    }

    public List<RepositoryDef> repositories() {
        return state.repositories().values().stream()
                .sorted(Comparator.comparing(r -> r.getRef().getName())).toList();
    }

    @Override
    public long tableCommitSeq(long tableId) {
        return state.tableSeqs().getOrDefault(tableId, 0L);
    }

    /** The recycle bin: dropped tables, partitions and databases not erased yet, by drop time. */
    public List<RecycledObject> recycleBin() {
        return state.recycleBin().values().stream().sorted(Comparator.comparingLong(RecycledObject::getDropTimeMs)
                .thenComparingLong(RecycledObject::getId)).toList();
    }

    /** The committed catalog as one value (for reads that must see one consistent state). */
    CatalogState currentState() {
        return state;
    }

    /** Catalog sequence of the last committed record. */
    public long seq() {
        return state.seq();
    }

    /** Whether a table, view or ODBC table of this name exists in the database. */
    public boolean nameTaken(long dbId, String name) {
        return table(dbId, name).isPresent() || view(dbId, name).isPresent() || odbcTable(dbId, name).isPresent();
    }
}
