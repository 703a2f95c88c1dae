package io.snapbus.node.rpc;

import io.snapbus.thrift.FrontendService;
import io.snapbus.thrift.TFinishTaskRequest;
import io.snapbus.thrift.TMasterResult;
import io.snapbus.thrift.TStatusCode;
import io.snapbus.thrift.rpc.ThriftCallException;
import io.snapbus.thrift.rpc.ThriftClientPool;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers finish reports to the agent that owns the node now, retrying each with growing backoff until an agent
 * answers. A report is never dropped because an agent was down: a new owner's heartbeat redirects the retries to it.
 * {@link #SENDERS} reports are in flight at once (Doris's BE workers each report their own task), so the agent's
 * wait for Kafka's acknowledgement of one report does not hold back the others: reports of different tasks may
 * arrive in any order.
 */
public final class FinishReporter implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(FinishReporter.class);
    private static final long FIRST_BACKOFF_MS = 200;
    /** Reports delivered at once; the connection pool to the agents keeps as many idle connections. */
    public static final int SENDERS = 8;

    private final NodeIdentity identity;
    private final ThriftClientPool<FrontendService.Client> agents;
    private final long maxBackoffMs;
    private record Queued(TFinishTaskRequest request, Runnable onDelivered) {}

    private final BlockingQueue<Queued> queue = new LinkedBlockingQueue<>();
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong failedAttempts = new AtomicLong();
    private final List<Thread> senders = new ArrayList<>();
    private volatile boolean closed;
    /** Reports submitted and not yet delivered (queued or being sent). */
    private final AtomicInteger outstanding = new AtomicInteger();

    public FinishReporter(NodeIdentity identity, ThriftClientPool<FrontendService.Client> agents,
            Duration maxBackoff) {
        this.identity = identity;
        this.agents = agents;
        this.maxBackoffMs = maxBackoff.toMillis();
        for (int i = 0; i < SENDERS; i++) {
            Thread sender = new Thread(this::sendLoop, "finish-reporter-" + i);
            sender.setDaemon(true);
            senders.add(sender);
            sender.start();
        }
    }

    /**
     * Queues a finish report and runs {@code onDelivered} once an agent took it (or refused it for good); the node's
     * identity is filled in when it is sent.
     */
    public void submit(TFinishTaskRequest request, Runnable onDelivered) {
        outstanding.incrementAndGet();
        queue.add(new Queued(request, onDelivered));
    }

    /** Reports queued or being sent. */
    public int pending() {
        return outstanding.get();
    }

    public long delivered() {
        return delivered.get();
    }

    /** Sends of a report that reached no agent (each followed by a retry): what a test waits on to see retries. */
    public long failedAttempts() {
        return failedAttempts.get();
    }

    private void sendLoop() {
        while (!closed) {
            Queued next;
            try {
                next = queue.take();
            } catch (InterruptedException e) {
                return;
            }
            try {
                deliver(next.request());
                outstanding.decrementAndGet();
                next.onDelivered().run();
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void deliver(TFinishTaskRequest request) throws InterruptedException {
        long backoff = FIRST_BACKOFF_MS;
        while (!closed) {
            Optional<ReportTarget.Owner> owner = identity.target().awaitOwner(backoff);
            if (owner.isPresent()) {
                request.setBackend(identity.backend());
                try {
                    TMasterResult result = agents.call(owner.get().agent(), c -> c.finishTask(request));
                    delivered.incrementAndGet();
                    if (result.getStatus().getStatus_code() != TStatusCode.OK) {
                        // The agent heard it and refused it (e.g. a task it no longer tracks): resending cannot help.
                        log.warn("agent {} refused the finish report of {} {}: {}", owner.get().agent(),
                                request.getTask_type(), request.getSignature(), result.getStatus());
                    }
                    return;
                } catch (ThriftCallException e) {
                    failedAttempts.incrementAndGet();
                    log.info("finish report of {} {} not delivered to {} ({}); retrying in {} ms",
                            request.getTask_type(), request.getSignature(), owner.get().agent(), e.failure(), backoff);
                } catch (org.apache.thrift.TException e) {
                    failedAttempts.incrementAndGet();
                    log.info("finish report of {} {} failed: {}; retrying in {} ms", request.getTask_type(),
                            request.getSignature(), e.getMessage(), backoff);
                }
                Thread.sleep(backoff);
            }
            backoff = Math.min(maxBackoffMs, backoff * 2);
        }
    }

    @Override
    public void close() {
        closed = true;
        senders.forEach(Thread::interrupt);
    }
}
